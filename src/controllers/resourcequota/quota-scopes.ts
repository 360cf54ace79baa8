// ResourceQuota scopes (spec.scopes and spec.scopeSelector): which pods a scoped quota tracks, by
// upstream's rules (Terminating = activeDeadlineSeconds set, BestEffort = QoS class, PriorityClass by
// selector, CrossNamespacePodAffinity). Only pods carry scopes; a scoped quota counts nothing else.
import type { Pod, PodAffinityTerm, ResourceQuota, ScopedResourceSelectorRequirement } from 'kubernetes-types/core/v1';
import { fromLabelSelector } from '../../registry/label-selector';
import { podQOSClass } from '../../registry/resources/pod-qos';

/** spec.scopes as Exists requirements, then spec.scopeSelector's expressions, as upstream merges them. */
export function quotaScopeSelectors(q: ResourceQuota): ScopedResourceSelectorRequirement[] {
  return [
    ...(q.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' })),
    ...(q.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

const isTerminating = (pod: Pod) => (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;
const isBestEffort = (pod: Pod) => (pod.status?.qosClass ?? podQOSClass(pod.spec)) === 'BestEffort';
const crossNamespace = (t: PodAffinityTerm) => (t.namespaces ?? []).length > 0 || t.namespaceSelector !== undefined;

function usesCrossNamespaceAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return [a?.podAffinity, a?.podAntiAffinity].some((x) => (x?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(crossNamespace)
    || (x?.preferredDuringSchedulingIgnoredDuringExecution ?? []).some((w) => crossNamespace(w.podAffinityTerm)));
}

/** The PriorityClass scope is a label selector over one pseudo-label holding the pod's class name. */
function priorityClassMatches(pod: Pod, s: ScopedResourceSelectorRequirement): boolean {
  const cls = pod.spec?.priorityClassName;
  if (s.operator === 'Exists') return !!cls;
  try {
    const sel = fromLabelSelector({ matchExpressions: [{ key: s.scopeName, operator: s.operator, values: s.values }] });
    return sel?.matches(cls ? { [s.scopeName]: cls } : {}) ?? false;
  } catch {
    return false;
  }
}

export function podMatchesScope(pod: Pod, s: ScopedResourceSelectorRequirement): boolean {
  switch (s.scopeName) {
    case 'Terminating': return isTerminating(pod);
    case 'NotTerminating': return !isTerminating(pod);
    case 'BestEffort': return isBestEffort(pod);
    case 'NotBestEffort': return !isBestEffort(pod);
    case 'PriorityClass': return priorityClassMatches(pod, s);
    case 'CrossNamespacePodAffinity': return usesCrossNamespaceAffinity(pod);
    default: return false;
  }
}

/** Whether a pod falls under every one of a quota's scopes (an unscoped quota takes every pod). */
export const podInScopes = (pod: Pod, scopes: ScopedResourceSelectorRequirement[]): boolean => scopes.every((s) => podMatchesScope(pod, s));
