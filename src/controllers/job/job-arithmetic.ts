// The Job controller's counting rules (upstream's manageJob and friends), free of I/O: how many pods
// should run, which active pods go first when there are too many, and the restart-count back-off limit
// of OnFailure pods.
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { podsToDelete } from '../replicaset/pod-ranking';
import { completionIndexOf, isIndexedJob } from './job-pods';

/** Pods that should be active: parallelism, but never more than the completions still missing. */
export function wantActivePods(job: Job, succeeded: number, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  // Without completions, the first success ends the Job: whatever still runs may finish, nothing new starts.
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/**
 * Active pods to delete: for Indexed Jobs first those with no, an out-of-range or a repeated index
 * (keeping the best-ranked pod of each index), then in deletion rank (unscheduled, pending, not ready
 * first) until at least rmAtLeast are chosen.
 */
export function activePodsForRemoval(job: Job, active: Pod[], rmAtLeast: number, now: number): Pod[] {
  const rm: Pod[] = [];
  let left = active;
  if (isIndexedJob(job)) {
    const completions = job.spec?.completions ?? 0;
    const byIndex = new Map<number, Pod[]>();
    left = [];
    for (const p of active) {
      const ix = completionIndexOf(p);
      if (ix < 0 || ix >= completions) { rm.push(p); continue; }
      byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const pods of byIndex.values()) {
      const extra = podsToDelete(pods, [], pods.length - 1, now);
      rm.push(...extra);
      left.push(...pods.filter((p) => !extra.includes(p)));
    }
  }
  if (rm.length < rmAtLeast) rm.push(...podsToDelete(left, [], rmAtLeast - rm.length, now));
  return rm;
}

/** restartPolicy OnFailure: container restarts of running pods reached backoffLimit (any, for a limit of 0). */
export function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec?.template.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) restarts += s.restartCount;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}
