// A PodDisruptionBudget's arithmetic, as upstream's disruption controller does it: how many pods are
// expected (the pods' controllers' scale, or the pods themselves for an integer minAvailable), how many
// must stay healthy, which recent evictions still count as disrupted, and the status that follows.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
import type { Condition } from 'kubernetes-types/meta/v1';
import { isPodReady } from '../pod-readiness';

/** An eviction not yet followed by the pod's deletion stops counting after this long (upstream's DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** The controller that owns a pod and its desired scale; `unmanaged` for a pod without one. */
export type ScaleOf = (pod: Pod) => Promise<{ uid: string; replicas: number } | 'unmanaged'>;

export interface Expected { expectedCount: number; desiredHealthy: number; unmanaged: string[] }

/** intstr.GetScaledValueFromIntOrPercent rounding up; throws on a malformed percentage. */
export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or a percentage`);
  return Math.ceil((Number(m[1]) * total) / 100);
}

async function expectedScale(pods: Pod[], scaleOf: ScaleOf): Promise<{ count: number; unmanaged: string[] }> {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const p of pods) {
    const s = await scaleOf(p);
    if (s === 'unmanaged') unmanaged.push(p.metadata?.name ?? '');
    else scales.set(s.uid, s.replicas);
  }
  let count = 0;
  for (const r of scales.values()) count += r;
  return { count, unmanaged };
}

export async function expectedPods(pdb: PodDisruptionBudget, pods: Pod[], scaleOf: ScaleOf): Promise<Expected> {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const { count, unmanaged } = await expectedScale(pods, scaleOf);
    return { expectedCount: count, desiredHealthy: Math.max(0, count - scaledValue(maxUnavailable, count)), unmanaged };
  }
  if (typeof minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanaged: [] };
  if (typeof minAvailable === 'string') {
    const { count, unmanaged } = await expectedScale(pods, scaleOf);
    return { expectedCount: count, desiredHealthy: scaledValue(minAvailable, count), unmanaged };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanaged: [] };
}

/** The evictions that still count: the pod exists, is not yet deleting, and the eviction is recent. */
export function liveDisruptions(pdb: PodDisruptionBudget, pods: Pod[], now: number): { disrupted: Record<string, string>; recheckAt?: number } {
  const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
  const disrupted: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
    const pod = byName.get(name);
    if (!pod || pod.metadata?.deletionTimestamp) continue;
    const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expires < now) continue;
    disrupted[name] = at;
    recheckAt = recheckAt === undefined ? expires : Math.min(recheckAt, expires);
  }
  return { disrupted, recheckAt };
}

export function countHealthy(pods: Pod[], disrupted: Record<string, string>): number {
  return pods.filter((p) => !p.metadata?.deletionTimestamp && !((p.metadata?.name ?? '') in disrupted) && isPodReady(p)).length;
}

/** The DisruptionAllowed condition, keeping its transition time while its status stays. */
export function disruptionCondition(prev: Condition[] | undefined, status: 'True' | 'False', reason: string, message: string,
  observedGeneration: number | undefined, now: string): Condition[] {
  const old = prev?.find((c) => c.type === 'DisruptionAllowed');
  const cond: Condition = {
    type: 'DisruptionAllowed', status, reason, message, observedGeneration,
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
  };
  return [...(prev ?? []).filter((c) => c.type !== 'DisruptionAllowed'), cond];
}

export function budgetStatus(pdb: PodDisruptionBudget, currentHealthy: number, e: Expected, disrupted: Record<string, string>, now: string): PodDisruptionBudgetStatus {
  let allowed = currentHealthy - e.desiredHealthy;
  if (e.expectedCount <= 0 || allowed <= 0) allowed = 0;
  const observedGeneration = pdb.metadata?.generation;
  return {
    currentHealthy, desiredHealthy: e.desiredHealthy, expectedPods: e.expectedCount, disruptionsAllowed: allowed,
    observedGeneration, disruptedPods: Object.keys(disrupted).length ? disrupted : undefined,
    conditions: disruptionCondition(pdb.status?.conditions, allowed > 0 ? 'True' : 'False', allowed > 0 ? 'SufficientPods' : 'InsufficientPods', '', observedGeneration, now),
  };
}
