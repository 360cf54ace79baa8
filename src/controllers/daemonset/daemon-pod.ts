// What a DaemonSet pod is and where it belongs, as upstream's daemon util defines it: the tolerations
// every daemon pod gets, the labels naming its revision and template generation, the required node
// affinity that pins it to one node (the default scheduler then binds it), and whether a node should run
// (or may keep running) the DaemonSet's pod given the node's name, labels and taints.
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { requiredNodeAffinityMatches } from '../../scheduler/node-selector';
import { firstUntolerated } from '../../scheduler/tolerations';

export const daemonRevisionLabel = 'controller-revision-hash';
export const templateGenerationLabel = 'pod-template-generation';
/** apps/v1 carries the DaemonSet's template generation in this annotation (the registry bumps it). */
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';

const exists = (key: string, effect: 'NoSchedule' | 'NoExecute'): Toleration => ({ key, operator: 'Exists', effect });

/** The tolerations every daemon pod gets, in upstream's order (AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(spec: PodSpec | undefined): Toleration[] {
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(spec?.hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

const sameToleration = (a: Toleration, b: Toleration): boolean =>
  a.key === b.key && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect;

/** The spec's tolerations with the daemon ones added, an equal one replaced in place (AddOrUpdateTolerationInPodSpec). */
export function withDaemonTolerations(spec: PodSpec | undefined): Toleration[] {
  const out = [...(spec?.tolerations ?? [])];
  for (const t of daemonTolerations(spec)) {
    const i = out.findIndex((x) => sameToleration(x, t));
    if (i >= 0) out[i] = t; else out.push(t);
  }
  return out;
}

export function templateGeneration(ds: DaemonSet): string | undefined {
  return ds.metadata?.annotations?.[templateGenerationAnnotation];
}

/** The pod the DaemonSet would run anywhere: its template, labels and tolerations, not yet pinned to a node (NewPod + CreatePodTemplate). */
export function daemonPodTemplate(ds: DaemonSet, hash: string): Pod {
  const md = ds.spec?.template?.metadata;
  const generation = templateGeneration(ds);
  const spec: PodSpec = structuredClone(ds.spec?.template?.spec ?? { containers: [] });
  spec.tolerations = withDaemonTolerations(spec);
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      namespace: ds.metadata?.namespace,
      labels: { ...md?.labels, ...(generation ? { [templateGenerationLabel]: generation } : {}), ...(hash ? { [daemonRevisionLabel]: hash } : {}) },
      ...(md?.annotations ? { annotations: { ...md.annotations } } : {}),
      ...(md?.finalizers ? { finalizers: [...md.finalizers] } : {}),
    },
    spec,
  };
}

/** The daemon pod for one node: required node affinity replaced by metadata.name In [node] (ReplaceDaemonSetPodNodeNameNodeAffinity). */
export function newDaemonPod(ds: DaemonSet, hash: string, nodeName: string, ref: OwnerReference): Pod {
  const pod = daemonPodTemplate(ds, hash);
  pod.metadata!.generateName = `${ds.metadata?.name}-`;
  pod.metadata!.ownerReferences = [ref];
  const spec = pod.spec!;
  const affinity = (spec.affinity ??= {});
  const nodeAffinity = (affinity.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  return pod;
}

/** The node a daemon pod is for: its nodeName, or the one its node affinity pins (GetTargetNodeName). */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** At the DaemonSet's current template: its revision hash or its template generation (IsPodUpdated). */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (generation !== undefined && labels[templateGenerationLabel] === generation) || (hash !== '' && labels[daemonRevisionLabel] === hash);
}

export interface NodeVerdict {
  /** A pod should be created here. */
  shouldRun: boolean;
  /** A pod already here may stay. */
  shouldContinueRunning: boolean;
}

/** NodeShouldRunDaemonPod: spec.nodeName, nodeSelector and required node affinity, then taints against the pod's tolerations. */
export function nodeShouldRunDaemonPod(node: Node, template: Pod): NodeVerdict {
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (template.spec?.nodeName && template.spec.nodeName !== node.metadata?.name) return no;
  if (!requiredNodeAffinityMatches(template, node)) return no;
  const taints = node.spec?.taints ?? [];
  const tolerations = template.spec?.tolerations ?? [];
  return {
    shouldRun: !firstUntolerated(taints, tolerations, ['NoSchedule', 'NoExecute']),
    shouldContinueRunning: !firstUntolerated(taints, tolerations, ['NoExecute']),
  };
}
