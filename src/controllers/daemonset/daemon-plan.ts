// One reconcile step of a DaemonSet as upstream's manage and rollingUpdate take it, as data: nodes that
// need a pod, pods to delete (on nodes that may no longer run one, failed ones, extras), and the rolling
// update's replacements within maxUnavailable (delete old, then the manage step recreates) or maxSurge
// (create the new pod beside the old one, delete the old once the new is available); plus the status.
import type { DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { scaledValue } from '../deployment/rollout-arithmetic';
import { isPodAvailable, isPodReady } from '../pod-readiness';
import { daemonPodTemplate, isPodUpdated, nodeShouldRunDaemonPod, targetNodeName, templateGeneration, type NodeVerdict } from './daemon-pod';

export interface DaemonInput {
  ds: DaemonSet;
  nodes: Node[];
  /** The pods the DaemonSet owns. */
  pods: Pod[];
  hash: string;
  now: number;
}

export interface DaemonPlan { createOn: string[]; delete: Pod[] }

const created = (p: Pod): number => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;

/** Bound pods first, then oldest first, then by name (podByCreationTimestampAndPhase). */
function byAge(a: Pod, b: Pod): number {
  const ba = !!a.spec?.nodeName;
  const bb = !!b.spec?.nodeName;
  if (ba !== bb) return ba ? -1 : 1;
  return (created(a) - created(b)) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

export function podsByNode(pods: Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    const n = targetNodeName(p);
    if (!n) continue;
    const list = out.get(n);
    if (list) list.push(p); else out.set(n, [p]);
  }
  for (const list of out.values()) list.sort(byAge);
  return out;
}

export function nodeVerdicts(input: DaemonInput): Map<string, NodeVerdict> {
  const template = daemonPodTemplate(input.ds, input.hash);
  return new Map(input.nodes.map((n) => [n.metadata?.name ?? '', nodeShouldRunDaemonPod(n, template)]));
}

const allowsSurge = (ds: DaemonSet): boolean => ds.spec?.updateStrategy?.type === 'RollingUpdate' && surgeOf(ds, 1) > 0;
function surgeOf(ds: DaemonSet, desired: number): number {
  return ds.spec?.updateStrategy?.type === 'RollingUpdate' ? scaledValue(ds.spec.updateStrategy.rollingUpdate?.maxSurge, desired, true) : 0;
}
function unavailableOf(ds: DaemonSet, desired: number): number {
  return ds.spec?.updateStrategy?.type === 'RollingUpdate' ? scaledValue(ds.spec.updateStrategy.rollingUpdate?.maxUnavailable ?? 1, desired, true) : 0;
}

/** The manage step (podsShouldBeOnNode for every node). */
export function planManage(input: DaemonInput): DaemonPlan {
  const plan: DaemonPlan = { createOn: [], delete: [] };
  const byNode = podsByNode(input.pods);
  const verdicts = nodeVerdicts(input);
  for (const [node, v] of verdicts) {
    const pods = byNode.get(node) ?? [];
    if (v.shouldRun && pods.length === 0) { plan.createOn.push(node); continue; }
    if (!v.shouldContinueRunning) { plan.delete.push(...pods.filter((p) => !p.metadata?.deletionTimestamp)); continue; }
    const running: Pod[] = [];
    for (const p of pods) {
      if (p.metadata?.deletionTimestamp) continue;
      if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') { plan.delete.push(p); continue; }
      running.push(p);
    }
    if (running.length <= 1) continue;
    if (!allowsSurge(input.ds)) { plan.delete.push(...running.slice(1)); continue; }
    // Surging: an old and a new pod may share the node until the new one is ready.
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const p of running) {
      const isNew = p.metadata?.labels?.['controller-revision-hash'] === input.hash;
      if (isNew && !oldestNew) oldestNew = p;
      else if (!isNew && !oldestOld) oldestOld = p;
      else plan.delete.push(p);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodReady(oldestNew))) plan.delete.push(oldestOld);
  }
  return plan;
}

/** The new and old live pod of a node, or undefined when it has more than one of either (findUpdatedPodsOnNode). */
function splitOnNode(pods: Pod[], hash: string, generation: string | undefined): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) { if (newPod) return undefined; newPod = p; } else { if (oldPod) return undefined; oldPod = p; }
  }
  return { newPod, oldPod };
}

/** The rolling update step, taken when the manage step has nothing to do. */
export function planRollingUpdate(input: DaemonInput): DaemonPlan {
  const { ds, hash, now } = input;
  const plan: DaemonPlan = { createOn: [], delete: [] };
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') return plan;
  const minReady = ds.spec.minReadySeconds ?? 0;
  const generation = templateGeneration(ds);
  const verdicts = nodeVerdicts(input);
  const byNode = podsByNode(input.pods);
  const desired = [...verdicts.values()].filter((v) => v.shouldRun).length;
  for (const [node, v] of verdicts) if (v.shouldRun && !byNode.has(node)) byNode.set(node, []);
  const maxSurge = surgeOf(ds, desired);
  let maxUnavailable = unavailableOf(ds, desired);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const available = (p: Pod): boolean => isPodAvailable(p, minReady, now);

  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const pods of byNode.values()) {
      const split = splitOnNode(pods, hash, generation);
      if (!split) { unavailable++; continue; }
      const { newPod, oldPod } = split;
      if ((!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
      else if (newPod) { if (!available(newPod)) unavailable++; }
      else if (oldPod && !available(oldPod)) replace.push(oldPod);
      else if (oldPod && unavailable < maxUnavailable) candidates.push(oldPod);
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    plan.delete.push(...replace, ...candidates.slice(0, room));
    return plan;
  }

  let surging = 0;
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  for (const [node, pods] of byNode) {
    const split = splitOnNode(pods, hash, generation);
    if (!split) { surging++; continue; }
    const { newPod, oldPod } = split;
    if (!oldPod) continue;
    const v = verdicts.get(node);
    if (!newPod) {
      if (!v?.shouldRun) { if (!available(oldPod)) plan.delete.push(oldPod); continue; }
      if (!available(oldPod)) allowedNew.push(node);
      else if (surging < maxSurge) candidateNew.push(node);
      continue;
    }
    if (!available(newPod)) { surging++; continue; }
    plan.delete.push(oldPod);
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidateNew.length);
  plan.createOn.push(...allowedNew, ...candidateNew.slice(0, room));
  return plan;
}

/** The status the pods give (updateDaemonSetStatus). */
export function daemonSetStatus(input: DaemonInput, collisionCount: number | undefined): DaemonSetStatus {
  const { ds, hash, now } = input;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const generation = templateGeneration(ds);
  const byNode = podsByNode(input.pods);
  let desired = 0; let current = 0; let misscheduled = 0; let ready = 0; let available = 0; let updated = 0;
  for (const [node, v] of nodeVerdicts(input)) {
    const pods = byNode.get(node) ?? [];
    if (v.shouldRun) {
      desired++;
      if (pods.length === 0) continue;
      current++;
      const pod = pods[0];
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
      }
      if (isPodUpdated(pod, hash, generation)) updated++;
    } else if (pods.length > 0) {
      misscheduled++;
    }
  }
  const status: DaemonSetStatus = {
    currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready,
    observedGeneration: ds.metadata?.generation, updatedNumberScheduled: updated, numberAvailable: available, numberUnavailable: desired - available,
    ...(collisionCount ? { collisionCount } : {}),
  };
  // Go leaves these out when zero (omitempty).
  for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const) if (status[k] === 0) delete status[k];
  return status;
}
