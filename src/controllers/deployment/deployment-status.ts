// A Deployment's status and conditions from its ReplicaSets (calculateStatus, syncRolloutStatus,
// checkPausedConditions): counts, Available against replicas - maxUnavailable, and Progressing through
// NewReplicaSetCreated / FoundNewReplicaSet / ReplicaSetUpdated / NewReplicaSetAvailable /
// ProgressDeadlineExceeded, or Unknown while paused; with when to look again for the deadline.
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import { rfc3339 } from '../replicaset/replica-set-status';
import { availableSum, desiredOf, maxUnavailable, readySum, specSum, statusSum } from './rollout-arithmetic';

export const timedOutReason = 'ProgressDeadlineExceeded';
export const newRSAvailableReason = 'NewReplicaSetAvailable';
export const pausedReason = 'DeploymentPaused';

export function condition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** SetDeploymentCondition: same status and reason changes nothing; same status keeps lastTransitionTime. */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = cur && cur.status === c.status ? { ...c, lastTransitionTime: cur.lastTransitionTime } : c;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((x) => x.type !== type);
  if (rest.length) status.conditions = rest; else delete status.conditions;
}

export const hasProgressDeadline = (d: Deployment): boolean =>
  d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;

export function calculateStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const available = availableSum(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: statusSum(allRSs),
    updatedReplicas: newRS ? newRS.status?.replicas ?? 0 : 0,
    readyReplicas: readySum(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specSum(allRSs) - available),
  };
  // Go omits these counts when zero (omitempty); so do we, so that a written status reads back equal.
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (status[k] === 0) delete status[k];
  }
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= desiredOf(d) - maxUnavailable(d)) {
    setCondition(status, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** All desired replicas updated, present and available, at the current generation (DeploymentComplete). */
export function isComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = desiredOf(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want &&
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** Something moved since the last status: more updated, ready or available pods, or fewer old ones. */
function isProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

function timedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === timedOutReason) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return now > from + (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
}

export interface RolloutStatus { status: DeploymentStatus; requeueAfterMs?: number }

/** The status after a rollout step, with Progressing and ReplicaFailure brought up to date (syncRolloutStatus). */
export function rolloutStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, now: number): RolloutStatus {
  const s = calculateStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const completeAlready = s.replicas === s.updatedReplicas && cur?.reason === newRSAvailableReason;
  const subject = newRS ? `ReplicaSet "${newRS.metadata?.name}"` : `Deployment "${d.metadata?.name}"`;
  if (hasProgressDeadline(d) && !completeAlready) {
    if (isComplete(d, s)) {
      setCondition(s, condition('Progressing', 'True', newRSAvailableReason, `${subject} has successfully progressed.`, now));
    } else if (isProgressing(d, s)) {
      const c = condition('Progressing', 'True', 'ReplicaSetUpdated', `${subject} is progressing.`, now);
      if (cur?.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
      // Replaced rather than set: each step of progress moves lastUpdateTime, which the deadline counts from.
      removeCondition(s, 'Progressing');
      setCondition(s, c);
    } else if (timedOut(d, s, now)) {
      setCondition(s, condition('Progressing', 'False', timedOutReason, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = allRSs.find((rs) => rs === newRS && rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True'))
    ?? allRSs.find((rs) => rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True'));
  const rf = failure?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (rf) {
    setCondition(s, { type: 'ReplicaFailure', status: rf.status, reason: rf.reason, message: rf.message, lastUpdateTime: rf.lastTransitionTime, lastTransitionTime: rf.lastTransitionTime });
  } else removeCondition(s, 'ReplicaFailure');
  return { status: s, requeueAfterMs: deadlineRequeue(d, s, now) };
}

/** When to look again so a stuck rollout is marked ProgressDeadlineExceeded on time (requeueStuckDeployment). */
function deadlineRequeue(d: Deployment, s: DeploymentStatus, now: number): number | undefined {
  const c = getCondition(s, 'Progressing');
  if (!hasProgressDeadline(d) || !c || isComplete(d, s) || c.reason === timedOutReason || c.status === 'Unknown') return undefined;
  const after = Date.parse(c.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 - now;
  return Math.max(after + 1, 1000);
}

/** The Progressing condition pausing or resuming sets, if it changes (checkPausedConditions). */
export function pausedCondition(d: Deployment, now: number): DeploymentCondition | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const cur = getCondition(d.status, 'Progressing');
  if (cur?.reason === timedOutReason) return undefined;
  const pausedNoted = cur?.reason === pausedReason;
  if (d.spec?.paused && !pausedNoted) return condition('Progressing', 'Unknown', pausedReason, 'Deployment is paused', now);
  if (!d.spec?.paused && pausedNoted) return condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now);
  return undefined;
}
