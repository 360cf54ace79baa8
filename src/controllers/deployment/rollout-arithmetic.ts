// The numbers of a rollout, as upstream's deployment util computes them: maxSurge rounds up and
// maxUnavailable rounds down (both 0 means 1 unavailable), how far the new ReplicaSet may grow, how far
// old ones may shrink, and proportional scaling of every active ReplicaSet when a rollout is resized.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
/** An int-or-string field (intstr.IntOrString). */
type IntOrString = number | string;
import { maxReplicasAnnotation } from './revisions';

export const replicasOf = (rs: ReplicaSet): number => rs.spec?.replicas ?? 0;
export const desiredOf = (d: Deployment): number => d.spec?.replicas ?? 1;

/** An int, or "N%" of total rounded up or down (GetScaledValueFromIntOrPercent). */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or percentage (e.g '5%')`);
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** maxSurge and maxUnavailable for `desired` replicas; never both 0 (ResolveFenceposts). */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const isRolling = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

export function maxSurge(d: Deployment): number {
  if (!isRolling(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, desiredOf(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  const desired = desiredOf(d);
  if (!isRolling(d) || desired === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, desired).unavailable, desired);
}

export const specSum = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + replicasOf(rs), 0);
export const statusSum = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const readySum = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
export const availableSum = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);

/**
 * The size the new ReplicaSet may grow to now (NewRSNewReplicas). Upstream counts spec.replicas only;
 * we count a set's pods as max(spec, status) so that pods an old set still has (its scale-down not yet
 * carried out) keep the new set from surging past maxSurge, as upstream's TerminationComplete pod
 * replacement policy does.
 */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRolling(d)) return desiredOf(d);
  const maxTotal = desiredOf(d) + maxSurge(d);
  const current = allRSs.reduce((n, rs) => n + (rs === newRS ? replicasOf(rs) : Math.max(replicasOf(rs), rs.status?.replicas ?? 0)), 0);
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, desiredOf(d) - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;
/** Oldest first, then by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/**
 * New sizes for old ReplicaSets in one rolling step (reconcileOldReplicaSets): first shrink old sets with
 * unavailable pods (at most what the availability budget allows), then scale down available old pods as
 * far as minAvailable (replicas - maxUnavailable) allows, oldest set first. Empty when nothing may go.
 */
export function planOldScaleDown(d: Deployment, oldRSs: ReplicaSet[], newRS: ReplicaSet): Map<string, number> {
  const plan = new Map<string, number>();
  const size = (rs: ReplicaSet): number => plan.get(rs.metadata?.name ?? '') ?? replicasOf(rs);
  if (specSum(oldRSs) === 0) return plan;
  const minAvailable = desiredOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specSum([...oldRSs, newRS]) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return plan;
  const sorted = [...oldRSs].sort(byCreation);
  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    const unavailable = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unavailable <= 0) continue;
    const n = Math.min(maxScaledDown - cleaned, unavailable);
    plan.set(rs.metadata?.name ?? '', replicasOf(rs) - n);
    cleaned += n;
  }
  // Available pods: only as many as keep minAvailable available across all sets. A set's status may
  // still count pods its smaller spec is about to remove, so never more than spec is counted.
  const available = [...oldRSs, newRS].reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, size(rs)), 0);
  if (available <= minAvailable) return plan;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of sorted) {
    if (scaled >= total) break;
    if (size(rs) === 0) continue;
    const n = Math.min(size(rs), total - scaled);
    plan.set(rs.metadata?.name ?? '', size(rs) - n);
    scaled += n;
  }
  return plan;
}

function maxReplicasAnnotationOf(rs: ReplicaSet): number | undefined {
  const v = rs.metadata?.annotations?.[maxReplicasAnnotation];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * New sizes of the active ReplicaSets when a Deployment is resized mid-rollout (scale()): the
 * replicas to add or remove are shared in proportion to each set's size against the size the
 * deployment had (the max-replicas annotation), larger sets first, leftovers to the first set.
 */
export function planProportionalScale(d: Deployment, activeRSs: ReplicaSet[]): Map<string, number> {
  const plan = new Map<string, number>();
  const allowed = desiredOf(d) > 0 ? desiredOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - specSum(activeRSs);
  if (toAdd === 0 || activeRSs.length === 0) return plan;
  const sorted = [...activeRSs].sort((a, b) => (replicasOf(b) - replicasOf(a)) || (toAdd > 0 ? -byCreation(a, b) : byCreation(a, b)));
  let added = 0;
  for (const rs of sorted) {
    let proportion = 0;
    if (replicasOf(rs) !== 0 && toAdd !== added) {
      let fraction: number;
      if (desiredOf(d) === 0) fraction = -replicasOf(rs);
      else {
        const annotated = maxReplicasAnnotationOf(rs) ?? (d.status?.replicas ?? 0);
        fraction = annotated > 0 ? roundHalfAway((replicasOf(rs) * allowed) / annotated) - replicasOf(rs) : 0;
      }
      const left = toAdd - added;
      proportion = toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
    }
    plan.set(rs.metadata?.name ?? '', replicasOf(rs) + proportion);
    added += proportion;
  }
  const first = sorted[0].metadata?.name ?? '';
  plan.set(first, Math.max(0, (plan.get(first) ?? 0) + toAdd - added));
  return plan;
}

/** Go's math.Round: halves away from zero. */
function roundHalfAway(x: number): number { return x < 0 ? -Math.round(-x) : Math.round(x); }
