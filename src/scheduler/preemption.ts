// Default preemption, as upstream's: on the nodes where removing pods could help, find the fewest
// lower-priority victims that make the pod fit (removing all, then reprieving the most important first),
// and pick the node whose victims matter least: lowest top priority, then lowest priority sum, then
// fewest victims, then the latest-started.
import type { Pod } from 'kubernetes-types/core/v1';
import { fitErrorMessage } from './fit-error';
import { unresolvable, type FilterPlugin, type Snapshot, type Status } from './framework';
import { newPodInfo, podKey, type NodeInfo } from './node-info';
import { podPriority } from './priority';
import { prepareFilters } from './schedule-pod';

export interface Candidate { node: string; victims: Pod[] }
export type PreemptionResult = { kind: 'nominate'; candidate: Candidate } | { kind: 'none'; message: string };

const notHelpful = 'Preemption is not helpful for scheduling';
const minCandidateNodesPercentage = 10;
const minCandidateNodesAbsolute = 100;

function startTime(p: Pod): number {
  return Date.parse(p.status?.startTime ?? p.metadata?.creationTimestamp ?? '') || 0;
}

/** Higher priority first, then the one that started earlier (upstream's MoreImportantPod). */
export function moreImportantFirst(a: Pod, b: Pod): number {
  return podPriority(b) - podPriority(a) || startTime(a) - startTime(b);
}

/** The snapshot with one node replaced, so filters prepared over it see the node's changed pods. */
function withNode(snap: Snapshot, replaced: NodeInfo): Snapshot {
  const nodes = snap.nodes.map((n) => (n.name === replaced.name ? replaced : n));
  return {
    nodes,
    node: (name) => (name === replaced.name ? replaced : snap.node(name)),
    namespaceLabels: (ns) => snap.namespaceLabels(ns),
    imageNodeCount: (img) => snap.imageNodeCount(img),
  };
}

function fits(pod: Pod, snap: Snapshot, n: NodeInfo, filters: readonly FilterPlugin[]): Status | undefined {
  return prepareFilters(pod, withNode(snap, n), filters)(n);
}

export function selectVictimsOnNode(pod: Pod, snap: Snapshot, node: NodeInfo, filters: readonly FilterPlugin[]): Pod[] | Status {
  const priority = podPriority(pod);
  const lower = [...node.pods.values()].filter((pi) => podPriority(pi.pod) < priority).map((pi) => pi.pod);
  if (lower.length === 0) return unresolvable('DefaultPreemption', 'No preemption victims found for incoming pod');
  const trial = node.clone();
  for (const p of lower) trial.removePod(podKey(p));
  const st = fits(pod, snap, trial, filters);
  if (st) return st;
  const victims: Pod[] = [];
  for (const p of lower.sort(moreImportantFirst)) {
    trial.addPod(newPodInfo(p));
    if (fits(pod, snap, trial, filters)) {
      trial.removePod(podKey(p));
      victims.push(p);
    }
  }
  return victims;
}

/** Among the pods of the highest priority, the earliest start. */
function earliestTopStart(victims: Pod[]): number {
  const top = Math.max(...victims.map((p) => podPriority(p)));
  return Math.min(...victims.filter((p) => podPriority(p) === top).map(startTime));
}

export function pickCandidate(candidates: Candidate[]): Candidate {
  const criteria: ((c: Candidate) => number)[] = [
    (c) => -Math.max(...c.victims.map((p) => podPriority(p))),
    // Offset so every priority counts positively, as upstream does with MaxInt32 + 1.
    (c) => -c.victims.reduce((s, p) => s + podPriority(p) + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => earliestTopStart(c.victims),
  ];
  let left = candidates;
  for (const score of criteria) {
    if (left.length === 1) break;
    const scores = left.map(score);
    const best = Math.max(...scores);
    left = left.filter((_, i) => scores[i] === best);
  }
  return left[0];
}

export function preempt(pod: Pod, snap: Snapshot, statuses: ReadonlyMap<string, Status>, filters: readonly FilterPlugin[],
  random: () => number = Math.random): PreemptionResult {
  if (pod.spec?.preemptionPolicy === 'Never') return { kind: 'none', message: 'not eligible due to preemptionPolicy=Never.' };
  const nominated = pod.status?.nominatedNodeName;
  if (nominated && statuses.get(nominated)?.code !== 'UnschedulableAndUnresolvable') {
    const n = snap.node(nominated);
    const priority = podPriority(pod);
    if (n && [...n.pods.values()].some((pi) => pi.pod.metadata?.deletionTimestamp && podPriority(pi.pod) < priority)) {
      return { kind: 'none', message: 'not eligible due to a terminating pod on the nominated node.' };
    }
  }
  const numAll = snap.nodes.length;
  const potential = snap.nodes.filter((n) => statuses.get(n.name)?.code === 'Unschedulable');
  const nodeStatuses = new Map<string, Status>();
  const candidates: Candidate[] = [];
  if (potential.length) {
    let want = Math.trunc((potential.length * minCandidateNodesPercentage) / 100);
    want = Math.min(potential.length, Math.max(want, minCandidateNodesAbsolute));
    const offset = Math.floor(random() * potential.length);
    for (let i = 0; i < potential.length && candidates.length < want; i++) {
      const n = potential[(offset + i) % potential.length];
      const res = selectVictimsOnNode(pod, snap, n, filters);
      if (Array.isArray(res)) {
        if (res.length) candidates.push({ node: n.name, victims: res });
        else nodeStatuses.set(n.name, unresolvable('DefaultPreemption', `expected at least one victim pod on node "${n.name}"`));
      } else nodeStatuses.set(n.name, res);
    }
  }
  if (candidates.length === 0) return { kind: 'none', message: fitErrorMessage(numAll, nodeStatuses, notHelpful) };
  return { kind: 'nominate', candidate: pickCandidate(candidates) };
}
