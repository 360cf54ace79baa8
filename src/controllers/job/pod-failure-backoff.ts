// The back-off before a Job replaces failed pods (upstream's backoffRecord): 10 s after the first failure
// since the last success, doubling with each further one up to 10 minutes, counted from the moment the
// last failed pod finished.
import type { Pod } from 'kubernetes-types/core/v1';

export const defaultPodFailureBackoffMs = 10_000;
export const maxPodFailureBackoffMs = 10 * 60_000;

export interface BackoffRecord { failuresAfterLastSuccess: number; lastFailureTime?: number }

/** When a pod finished: its containers' last finishedAt, else Ready=False's transition, else deletion, else creation. */
export function podFinishedTime(p: Pod): number {
  const statuses = p.status?.containerStatuses ?? [];
  let latest: number | undefined;
  for (const s of statuses) {
    const at = s.state?.terminated?.finishedAt;
    if (!at) { latest = undefined; break; }
    latest = Math.max(latest ?? 0, Date.parse(at));
  }
  if (latest !== undefined && statuses.length > 0) return latest;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (p.metadata?.deletionTimestamp) return Date.parse(p.metadata.deletionTimestamp) - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
}

/** The record after this sync's newly finished pods: a success resets it, later failures add to it. */
export function nextBackoffRecord(old: BackoffRecord, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
  const failedTimes = newFailed.map(podFinishedTime).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedTimes.length === 0) return old;
    return { failuresAfterLastSuccess: old.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1] };
  }
  const lastSuccess = Math.max(...newSucceeded.map(podFinishedTime));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return after.length ? { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] } : { failuresAfterLastSuccess: 0 };
}

/** How long pod creation must still wait, 0 when it may go ahead. */
export function backoffRemainingMs(r: BackoffRecord, now: number): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureTime === undefined) return 0;
  let delay = defaultPodFailureBackoffMs;
  for (let i = 1; i < r.failuresAfterLastSuccess && delay < maxPodFailureBackoffMs; i++) delay = Math.min(delay * 2, maxPodFailureBackoffMs);
  return Math.max(0, delay - (now - r.lastFailureTime));
}
