// A pod (anti-)affinity term made ready to match: its label selector, the namespaces it names (the
// owning pod's own when it names none) and its namespaceSelector.
import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1';
import { fromLabelSelector, type LabelSelector } from '../registry/label-selector';

export interface AffinityTerm {
  selector: LabelSelector | null;
  namespaces: Set<string>;
  namespaceSelector: LabelSelector | null;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm { weight: number }

function selectorOrNothing(sel: PodAffinityTerm['labelSelector']): LabelSelector | null {
  try { return fromLabelSelector(sel); } catch { return null; }
}

export function affinityTerm(owner: Pod, t: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && !t.namespaceSelector) namespaces.add(owner.metadata?.namespace ?? '');
  return {
    selector: selectorOrNothing(t.labelSelector),
    namespaces,
    namespaceSelector: t.namespaceSelector ? selectorOrNothing(t.namespaceSelector) : null,
    topologyKey: t.topologyKey,
  };
}

/** The term selects the pod: its namespace is named or selected, and its labels match. */
export function termMatchesPod(term: AffinityTerm, pod: Pod, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean {
  const ns = pod.metadata?.namespace ?? '';
  const nsOk = term.namespaces.has(ns) || (term.namespaceSelector !== null && term.namespaceSelector.matches(namespaceLabels(ns) ?? {}));
  return nsOk && term.selector !== null && term.selector.matches(pod.metadata?.labels);
}

export function requiredAffinityTerms(pod: Pod): AffinityTerm[] {
  return (pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t));
}

export function requiredAntiAffinityTerms(pod: Pod): AffinityTerm[] {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t));
}

export function preferredAffinityTerms(pod: Pod): WeightedAffinityTerm[] {
  return (pod.spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
    .map((w) => ({ ...affinityTerm(pod, w.podAffinityTerm), weight: w.weight }));
}

export function preferredAntiAffinityTerms(pod: Pod): WeightedAffinityTerm[] {
  return (pod.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
    .map((w) => ({ ...affinityTerm(pod, w.podAffinityTerm), weight: w.weight }));
}
