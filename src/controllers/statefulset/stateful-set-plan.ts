// One reconcile step of a StatefulSet as upstream's updateStatefulSet takes it, as data: which pods to
// create (with their claims), fix or delete. OrderedReady creates ordinals in order, each only once the
// one before is Running and Ready, and removes the highest ordinal first, one at a time; Parallel does
// all at once; RollingUpdate then replaces the highest ordinal >= partition not at the update revision,
// one pod at a time, waiting for each to be healthy; OnDelete replaces only pods someone deleted.
import type { StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import {
  identityMatches, isFinished, isHealthy, isRunningAndAvailable, isRunningAndReady, isTerminating, newStatefulPod, ordinalOf, revisionOfPod,
} from './stateful-pod';

export type StatefulAction =
  | { type: 'create'; ordinal: number; pod: Pod }
  | { type: 'delete'; pod: Pod; reason: 'scale' | 'update' | 'finished' }
  | { type: 'fixIdentity'; pod: Pod };

export interface PlanInput {
  /** The set at its update revision (its own spec) and at its current revision (template from that revision). */
  updateSet: StatefulSet;
  currentSet: StatefulSet;
  currentRevision: string;
  updateRevision: string;
  /** The pods the set owns. */
  pods: Pod[];
  ref: OwnerReference;
  now: number;
}

const partitionOf = (set: StatefulSet): number | undefined => set.spec?.updateStrategy?.rollingUpdate?.partition;

/** The pod for an ordinal: below the partition (RollingUpdate) at the current revision, else at the update revision (newVersionedStatefulSetPod). */
export function versionedPod(input: PlanInput, ordinal: number): Pod {
  const { currentSet, updateSet } = input;
  const strategy = currentSet.spec?.updateStrategy;
  const rolling = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const partition = partitionOf(currentSet);
  const atCurrent = rolling && (partition === undefined ? ordinal < (currentSet.status?.currentReplicas ?? 0) : ordinal < partition);
  return atCurrent
    ? newStatefulPod(currentSet, ordinal, input.currentRevision, input.ref)
    : newStatefulPod(updateSet, ordinal, input.updateRevision, input.ref);
}

export function planStatefulSet(input: PlanInput): StatefulAction[] {
  const set = input.updateSet;
  const replicaCount = set.spec?.replicas ?? 1;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const monotonic = (set.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  const replicas: (Pod | undefined)[] = new Array(replicaCount).fill(undefined);
  const condemned: Pod[] = [];
  for (const p of input.pods) {
    const ord = ordinalOf(p);
    if (ord >= 0 && ord < replicaCount) replicas[ord] = p;
    else if (ord >= replicaCount) condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  const firstUnhealthy = [...replicas, ...condemned].find((p) => !p || !isHealthy(p));
  const actions: StatefulAction[] = [];
  if (set.metadata?.deletionTimestamp) return actions;

  for (let ord = 0; ord < replicaCount; ord++) {
    const pod = replicas[ord];
    if (!pod) {
      actions.push({ type: 'create', ordinal: ord, pod: versionedPod(input, ord) });
      if (monotonic) return actions;
      continue;
    }
    if (isFinished(pod)) {
      // Its replacement comes on a later sync, once the old one is gone.
      if (!isTerminating(pod)) actions.push({ type: 'delete', pod, reason: 'finished' });
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, input.now))) return actions;
    if (!identityMatches(set, pod)) actions.push({ type: 'fixIdentity', pod });
  }

  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, input.now))) return actions;
    actions.push({ type: 'delete', pod, reason: 'scale' });
    if (monotonic) return actions;
  }
  // A Parallel set scaling or replacing pods this step rolls nothing yet.
  if (actions.some((a) => a.type !== 'fixIdentity')) return actions;
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return actions;

  const updateMin = partitionOf(set) ?? 0;
  for (let target = replicaCount - 1; target >= updateMin; target--) {
    const pod = replicas[target];
    if (!pod) return actions;
    if (revisionOfPod(pod) !== input.updateRevision && !isTerminating(pod)) {
      actions.push({ type: 'delete', pod, reason: 'update' });
      return actions;
    }
    if (!isHealthy(pod)) return actions;
  }
  return actions;
}

/** The status the pods give (computeReplicaStatus + completeRollingUpdate), before this step's actions. */
export function statefulSetStatus(input: PlanInput, collisionCount: number): StatefulSetStatus {
  const set = input.updateSet;
  const minReady = set.spec?.minReadySeconds ?? 0;
  let replicas = 0; let ready = 0; let available = 0; let current = 0; let updated = 0;
  for (const p of input.pods) {
    replicas++;
    if (isRunningAndReady(p)) {
      ready++;
      if (isRunningAndAvailable(p, minReady, input.now)) available++;
    }
    if (!isTerminating(p)) {
      if (revisionOfPod(p) === input.currentRevision) current++;
      if (revisionOfPod(p) === input.updateRevision) updated++;
    }
  }
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata?.generation, replicas, readyReplicas: ready, currentReplicas: current, updatedReplicas: updated,
    currentRevision: input.currentRevision, updateRevision: input.updateRevision, collisionCount, availableReplicas: available,
  };
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && updated === replicas && ready === replicas) {
    status.currentReplicas = updated;
    status.currentRevision = input.updateRevision;
  }
  // Go leaves these out when zero (omitempty); replicas and availableReplicas are always written.
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (status[k] === 0) delete status[k];
  return status;
}
