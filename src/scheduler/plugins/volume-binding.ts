// VolumeBinding: a pod's claims must exist; a bound claim's volume must be reachable from the node; an
// unbound claim of a WaitForFirstConsumer class needs, on the node, either an Available volume that fits
// (the scheduler pre-binds it) or a provisioner for its class (the scheduler names the node on the claim);
// an unbound claim of an Immediate class waits for the binder. Upstream's reasons and messages.
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { claimClass, claimsOfPod, findMatchingVolume, isDelayBinding, volumeNodeAffinityMatches } from '../../controllers/volume/volume-matching';
import { termMatches } from '../node-selector';
import { unresolvable, unschedulable, type FilterPlugin, type Status } from '../framework';

const name = 'VolumeBinding';

/** What the volume binding reads: claims, volumes and classes from the scheduler's informers. */
export interface VolumeListers {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volumes(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
}

/** For one unbound delayed claim on one node: the volume to pre-bind, or none (provision it there). */
export interface ClaimDecision { claim: PersistentVolumeClaim; volume?: PersistentVolume }

type Prepared = { status: Status } | { bound: PersistentVolume[]; delayed: PersistentVolumeClaim[] };

function prepareClaims(pod: Pod, listers: VolumeListers): Prepared | null {
  const names = claimsOfPod(pod);
  if (names.length === 0) return null;
  const ns = pod.metadata?.namespace ?? 'default';
  const bound: PersistentVolume[] = [];
  const delayed: PersistentVolumeClaim[] = [];
  let immediateUnbound = false;
  for (const claimName of names) {
    const claim = listers.claim(ns, claimName);
    if (!claim) return { status: unresolvable(name, `persistentvolumeclaim "${claimName}" not found`) };
    if (claim.metadata?.deletionTimestamp) return { status: unresolvable(name, `persistentvolumeclaim "${claimName}" is being deleted`) };
    const volumeName = claim.spec?.volumeName;
    if (volumeName) {
      const pv = listers.volumes().find((v) => v.metadata?.name === volumeName);
      if (!pv) return { status: unresolvable(name, 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)') };
      bound.push(pv);
    } else if (isDelayBinding(claim, (n) => listers.storageClass(n))) {
      delayed.push(claim);
    } else {
      immediateUnbound = true;
    }
  }
  if (immediateUnbound) return { status: unresolvable(name, 'pod has unbound immediate PersistentVolumeClaims') };
  return { bound, delayed };
}

/** The class can make a volume on this node (its allowedTopologies, if any, admit the node). */
function canProvisionOn(claim: PersistentVolumeClaim, node: Node, listers: VolumeListers): boolean {
  const cls = listers.storageClass(claimClass(claim));
  if (!cls || cls.provisioner === 'kubernetes.io/no-provisioner') return false;
  const topologies = cls.allowedTopologies;
  if (!topologies?.length) return true;
  return topologies.some((t) => termMatches({ matchExpressions: (t.matchLabelExpressions ?? []).map((e) => ({ key: e.key, operator: 'In', values: e.values })) }, node));
}

/** The decisions for the pod's delayed claims on a node, or undefined when some claim cannot be met there. */
function decide(delayed: PersistentVolumeClaim[], node: Node, listers: VolumeListers): ClaimDecision[] | undefined {
  const taken = new Set<string>();
  const out: ClaimDecision[] = [];
  for (const claim of delayed) {
    const free = listers.volumes().filter((v) => !taken.has(v.metadata?.name ?? ''));
    const volume = findMatchingVolume(claim, free, node, true);
    if (volume) { taken.add(volume.metadata?.name ?? ''); out.push({ claim, volume }); continue; }
    if (!canProvisionOn(claim, node, listers)) return undefined;
    out.push({ claim });
  }
  return out;
}

export const volumeBindingFilter: FilterPlugin = {
  name,
  prepare(pod, snap) {
    if (!snap.volumes) return null;
    const listers = snap.volumes;
    const p = prepareClaims(pod, listers);
    if (!p) return null;
    if ('status' in p) {
      const status: Status = { ...p.status, preFilter: true };
      return () => status;
    }
    return (n) => {
      const node = n.node!;
      if (!p.bound.every((pv) => volumeNodeAffinityMatches(pv, node))) return unresolvable(name, 'node(s) had volume node affinity conflict');
      if (p.delayed.length && !decide(p.delayed, node, listers)) return unschedulable(name, "node(s) didn't find available persistent volumes to bind");
      return undefined;
    };
  },
};

/** What the scheduler must write before binding the pod to `node` (PreBind): empty when nothing. */
export function volumeDecisionsFor(pod: Pod, node: Node, listers: VolumeListers): ClaimDecision[] {
  const p = prepareClaims(pod, listers);
  if (!p || 'status' in p) return [];
  return decide(p.delayed, node, listers) ?? [];
}

/** The pod's claims (by namespace/name) that are not bound yet. */
export function unboundClaims(pod: Pod, listers: VolumeListers): string[] {
  const ns = pod.metadata?.namespace ?? 'default';
  return claimsOfPod(pod).filter((c) => listers.claim(ns, c)?.status?.phase !== 'Bound').map((c) => `${ns}/${c}`);
}
