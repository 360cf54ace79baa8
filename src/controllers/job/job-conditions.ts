// Job status conditions as upstream sets them: the interim SuccessCriteriaMet/FailureTarget while pods
// wind down, then the terminal Complete/Failed, plus Suspended; and when a Job counts as finished.
import type { Job, JobCondition } from 'kubernetes-types/batch/v1';

export const completionsReachedReason = 'CompletionsReached';
export const completionsReachedMessage = 'Reached expected number of succeeded pods';
export const backoffLimitExceeded = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
export const deadlineExceeded = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
export const podFailurePolicyReason = 'PodFailurePolicy';

/** A Time as the API writes it: RFC 3339 to the second. */
export function apiTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const t = apiTime(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

export function findCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

function isTrue(job: Job, type: string): boolean {
  return findCondition(job, type)?.status === 'True';
}

/** Complete or Failed is True: the controller leaves the Job alone from then on. */
export function isJobFinished(job: Job): boolean {
  return isTrue(job, 'Complete') || isTrue(job, 'Failed');
}

/** When the Job finished (its terminal condition's transition), or undefined while it has not. */
export function jobFinishTime(job: Job): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
}

/**
 * Sets the condition of that type to this status, reason and message (a new transition time when any
 * differs); a False condition is never added where none existed. Returns whether anything changed.
 */
export function ensureCondition(conditions: JobCondition[], type: string, status: string, reason: string, message: string, now: number): boolean {
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conditions[i];
    if (c.status === status && c.reason === reason && c.message === message) return false;
    conditions[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  conditions.push(newCondition(type, status, reason, message, now));
  return true;
}
