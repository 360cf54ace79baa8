// A ReplicaSet's status computed from the pods it owns (calculateStatus), with the ReplicaFailure
// condition that reports a failed create or delete until the next sync succeeds.
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { isPodAvailable, isPodReady } from '../pod-readiness';
import { deepEqual } from '../../registry/object-meta';

export interface ManageError { reason: 'FailedCreate' | 'FailedDelete'; message: string }

export function rfc3339(ms: number): string { return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'); }

/** The status the ReplicaSet should have, given its active owned pods and the outcome of this sync. */
export function replicaSetStatus(rs: ReplicaSet, pods: Pod[], manageError: ManageError | undefined, now: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) ready++;
    if (isPodAvailable(p, minReady, now)) available++;
  }
  const old = rs.status?.conditions ?? [];
  let conditions: ReplicaSetCondition[] = old;
  const failure = old.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    conditions = [...old, { type: 'ReplicaFailure', status: 'True', reason: manageError.reason, message: manageError.message, lastTransitionTime: rfc3339(now) }];
  } else if (!manageError && failure) {
    conditions = old.filter((c) => c.type !== 'ReplicaFailure');
  }
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata?.generation,
  };
  // Go omits these when zero (omitempty); replicas is always written.
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (status[k] === 0) delete status[k];
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** Whether the status subresource needs a write (upstream skips equal status at the current generation). */
export function statusNeedsUpdate(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur: ReplicaSetStatus = rs.status ?? { replicas: 0 };
  const norm = (s: ReplicaSetStatus) => ({
    replicas: s.replicas ?? 0, fullyLabeledReplicas: s.fullyLabeledReplicas ?? 0, readyReplicas: s.readyReplicas ?? 0,
    availableReplicas: s.availableReplicas ?? 0, observedGeneration: s.observedGeneration ?? 0, conditions: s.conditions ?? [],
  });
  return !deepEqual(norm(cur), norm(next));
}
