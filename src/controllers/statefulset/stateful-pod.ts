// A StatefulSet pod's identity, as upstream's stateful_set_utils defines it: the name <set>-<ordinal>,
// hostname and subdomain, the pod-name / pod-index / controller-revision-hash labels, and one volume per
// volumeClaimTemplate bound to the claim <template>-<set>-<ordinal> that outlives the pod.
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isPodAvailable, isPodReady } from '../pod-readiness';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
export const statefulSetRevisionLabel = 'controller-revision-hash';

const ordinalPattern = /^(.*)-(\d+)$/;

/** The pod's parent name and ordinal from its name, or ordinal -1 (getParentNameAndOrdinal). */
export function parentAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const m = ordinalPattern.exec(pod.metadata?.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1], ordinal: n < 2 ** 31 ? n : -1 };
}

export const ordinalOf = (pod: Pod): number => parentAndOrdinal(pod).ordinal;
export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata?.name}-${ordinal}`;
export const isMemberOf = (set: StatefulSet, pod: Pod): boolean => parentAndOrdinal(pod).parent === set.metadata?.name;
export const claimName = (set: StatefulSet, template: PersistentVolumeClaim, ordinal: number): string =>
  `${template.metadata?.name}-${set.metadata?.name}-${ordinal}`;

export const revisionOfPod = (pod: Pod): string => pod.metadata?.labels?.[statefulSetRevisionLabel] ?? '';

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);
}

export const isTerminating = (pod: Pod): boolean => !!pod.metadata?.deletionTimestamp;
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);
export const isFinished = (pod: Pod): boolean => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';

/** The claims of the pod at `ordinal`, by template name (getPersistentVolumeClaims); labels include the selector's. */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const out = new Map<string, PersistentVolumeClaim>();
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const c = structuredClone(t);
    out.set(t.metadata?.name ?? '', {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: {
        ...c.metadata, name: claimName(set, t, ordinal), namespace: set.metadata?.namespace,
        labels: { ...c.metadata?.labels, ...set.spec?.selector?.matchLabels },
      },
      spec: c.spec,
    });
  }
  return out;
}

/** The pod's name, namespace and identity labels (updateIdentity). */
function setIdentity(set: StatefulSet, pod: Pod, ordinal: number): void {
  const md = (pod.metadata ??= {});
  md.name = podName(set, ordinal);
  md.namespace = set.metadata?.namespace;
  md.labels = { ...md.labels, [podNameLabel]: md.name, [podIndexLabel]: String(ordinal) };
}

/** Claim volumes first, in template order, then the pod's other volumes (updateStorage). */
function setStorage(set: StatefulSet, pod: Pod, ordinal: number): void {
  const claims = claimsFor(set, ordinal);
  const volumes: Volume[] = [...claims].map(([name, c]) => ({ name, persistentVolumeClaim: { claimName: c.metadata?.name ?? '' } }));
  for (const v of pod.spec?.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  if (pod.spec && volumes.length) pod.spec.volumes = volumes;
}

/** The pod at `ordinal` from `set`'s template, labelled with `revision` (newStatefulSetPod + setPodRevision). */
export function newStatefulPod(set: StatefulSet, ordinal: number, revision: string, ref: OwnerReference): Pod {
  const md = set.spec?.template?.metadata;
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      labels: { ...md?.labels, [statefulSetRevisionLabel]: revision },
      ...(md?.annotations ? { annotations: { ...md.annotations } } : {}),
      ...(md?.finalizers ? { finalizers: [...md.finalizers] } : {}),
      ownerReferences: [ref],
    },
    spec: structuredClone(set.spec?.template?.spec ?? { containers: [] }),
  };
  setIdentity(set, pod, ordinal);
  pod.spec!.hostname = pod.metadata!.name;
  if (set.spec?.serviceName) pod.spec!.subdomain = set.spec.serviceName;
  setStorage(set, pod, ordinal);
  return pod;
}

/** Name, namespace and pod-name label fit the set (identityMatches). */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod);
  return ordinal >= 0 && parent === set.metadata?.name && pod.metadata?.namespace === set.metadata?.namespace
    && pod.metadata?.labels?.[podNameLabel] === pod.metadata?.name;
}

/** Every claim template has its volume on the pod (storageMatches). */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const [name, c] of claimsFor(set, ordinal)) {
    if (volumes.get(name)?.persistentVolumeClaim?.claimName !== c.metadata?.name) return false;
  }
  return true;
}

/** The pod with its identity labels restored (the part of UpdateStatefulPod a running pod can take). */
export function withIdentity(set: StatefulSet, pod: Pod): Pod {
  const next = structuredClone(pod);
  setIdentity(set, next, ordinalOf(pod));
  return next;
}
