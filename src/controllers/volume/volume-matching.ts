// Which PersistentVolume a claim may take, as upstream's FindMatchingVolume and the binder's
// access-mode index decide: a volume pre-bound to the claim wins; otherwise an Available one of the
// claim's class whose access modes include the claim's (fewest modes first), big enough, selected by the
// claim's label selector and, when a node is given, reachable from it; the smallest of those.
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { fromLabelSelector } from '../../registry/label-selector';
import { parseQuantity, type Quantity } from '../../registry/quantity';
import { termMatches } from '../../scheduler/node-selector';
import { ANN_BETA_STORAGE_CLASS, ANN_SELECTED_NODE } from './volume-annotations';

/** The claims a pod's volumes name (persistentVolumeClaim, and the ephemeral ones named <pod>-<volume>). */
export function claimsOfPod(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata?.name}-${v.name}`);
  }
  return out;
}

/** The class a claim asks for ('' is "no class"); the beta annotation still counts, as upstream. */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? '';
}

export function volumeClass(pv: PersistentVolume): string {
  return pv.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? '';
}

/** The claim's class binds only once a pod using it is scheduled (volumeBindingMode WaitForFirstConsumer). */
export function isDelayBinding(claim: PersistentVolumeClaim, classOf: (name: string) => StorageClass | undefined): boolean {
  const name = claimClass(claim);
  return name !== '' && classOf(name)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** The scheduler has picked a node for a delayed claim, so its volume may now be provisioned there. */
export const isDelayBindingProvisioning = (claim: PersistentVolumeClaim): boolean => !!claim.metadata?.annotations?.[ANN_SELECTED_NODE];

export function isVolumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

export function storageOf(list: Record<string, string> | undefined): Quantity {
  return parseQuantity(list?.storage ?? '0');
}

/** The volume's node affinity admits the node (a volume without one is reachable from every node). */
export function volumeNodeAffinityMatches(pv: PersistentVolume, node: Node): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t) => termMatches(t, node));
}

/** Every mode the claim asks for is one the volume offers. */
export function accessModesSatisfied(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const offered = new Set(pv.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m) => offered.has(m));
}

/**
 * The best volume for the claim, or undefined. `node` is the scheduler's candidate (the binder passes
 * none); with `delayBinding` and no node only a volume pre-bound to the claim is taken.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[],
  node: Node | undefined, delayBinding: boolean): PersistentVolume | undefined {
  const requested = storageOf(claim.spec?.resources?.requests);
  const wantedClass = claimClass(claim);
  const wantedMode = claim.spec?.volumeMode ?? 'Filesystem';
  let selector: ReturnType<typeof fromLabelSelector>;
  try { selector = fromLabelSelector(claim.spec?.selector); } catch { return undefined; }
  let best: { pv: PersistentVolume; modes: number; size: Quantity } | undefined;
  for (const pv of volumes) {
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, claim)) continue;
    const size = storageOf(pv.spec?.capacity);
    if (size.cmp(requested) < 0) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== wantedMode) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    const reachable = !node || volumeNodeAffinityMatches(pv, node);
    if (isVolumeBoundToClaim(pv, claim)) return reachable ? pv : undefined;
    if (!node && delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata?.labels)) continue;
    if (volumeClass(pv) !== wantedClass || !reachable || !accessModesSatisfied(claim, pv)) continue;
    const modes = pv.spec?.accessModes?.length ?? 0;
    if (!best || modes < best.modes || (modes === best.modes && size.cmp(best.size) < 0)) best = { pv, modes, size };
  }
  return best?.pv;
}
