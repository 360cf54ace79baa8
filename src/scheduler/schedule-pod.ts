// One scheduling decision over a snapshot, as upstream's schedulePod: run the filters over (a rotating
// window of) the nodes, score the feasible ones, pick the best with random tie-breaks; or report why
// every node failed.
import type { Pod } from 'kubernetes-types/core/v1';
import type { FilterPlugin, NodeFilter, ScorePlugin, Snapshot, Status } from './framework';
import { newPodInfo, type NodeInfo } from './node-info';
import { defaultFilters, defaultScores } from './plugins/default-plugins';
import { podPriority } from './priority';

export interface Scheduled { kind: 'scheduled'; node: string; evaluatedNodes: number; feasibleNodes: number }
export interface Unfit { kind: 'unfit'; numAllNodes: number; statuses: Map<string, Status> }
export type ScheduleResult = Scheduled | Unfit;

export interface AlgorithmOptions {
  /** A number in [0, 1): tie-breaks and preemption's starting offset; seed it for tests. */
  random?: () => number;
  filters?: readonly FilterPlugin[];
  scores?: readonly ScorePlugin[];
  /** Pods nominated to a node by an earlier preemption, which lower-or-equal priority pods must leave room for. */
  nominatedPods?: (node: string) => readonly Pod[];
}

const minFeasibleNodesToFind = 100;

/** Upstream's adaptive percentageOfNodesToScore: all below 100 nodes, then 50% falling to 5%. */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  const pct = Math.max(5, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(minFeasibleNodesToFind, Math.trunc((numAllNodes * pct) / 100));
}

/** Prepares every filter for the pod; the returned function judges a node (first failing filter wins). */
export function prepareFilters(pod: Pod, snap: Snapshot, filters: readonly FilterPlugin[]): (n: NodeInfo) => Status | undefined {
  const prepared = filters.map((f) => f.prepare(pod, snap)).filter((f): f is NodeFilter => f !== null);
  return (n) => {
    for (const f of prepared) {
      const st = f(n);
      if (st) return st;
    }
    return undefined;
  };
}

export class SchedulingAlgorithm {
  private nextStartNodeIndex = 0;
  readonly random: () => number;
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly ScorePlugin[];

  constructor(private readonly opts: AlgorithmOptions = {}) {
    this.random = opts.random ?? Math.random;
    this.filters = opts.filters ?? defaultFilters;
    this.scores = opts.scores ?? defaultScores;
  }

  schedule(pod: Pod, snap: Snapshot): ScheduleResult {
    const nodes = snap.nodes;
    const statuses = new Map<string, Status>();
    if (nodes.length === 0) return { kind: 'unfit', numAllNodes: 0, statuses };
    const judge = prepareFilters(pod, snap, this.filters);
    const priority = podPriority(pod);
    const want = numFeasibleNodesToFind(nodes.length);
    const feasible: NodeInfo[] = [];
    let processed = 0;
    for (; processed < nodes.length && feasible.length < want; processed++) {
      const n = nodes[(this.nextStartNodeIndex + processed) % nodes.length];
      const st = this.judgeWithNominated(pod, priority, n, judge);
      if (st) statuses.set(n.name, st); else feasible.push(n);
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % nodes.length;
    if (feasible.length === 0) return { kind: 'unfit', numAllNodes: nodes.length, statuses };
    const evaluatedNodes = processed;
    if (feasible.length === 1) return { kind: 'scheduled', node: feasible[0].name, evaluatedNodes, feasibleNodes: 1 };
    const totals = this.scoreNodes(pod, snap, feasible);
    return { kind: 'scheduled', node: feasible[this.selectHost(totals)].name, evaluatedNodes, feasibleNodes: feasible.length };
  }

  /** Weighted sum of the normalized scores, per feasible node. */
  scoreNodes(pod: Pod, snap: Snapshot, feasible: readonly NodeInfo[]): number[] {
    const totals = new Array<number>(feasible.length).fill(0);
    for (const plugin of this.scores) {
      const scorer = plugin.prepare(pod, snap, feasible);
      if (!scorer) continue;
      const scores = feasible.map((n) => scorer.score(n));
      scorer.normalize?.(scores, feasible);
      for (let i = 0; i < scores.length; i++) totals[i] += scores[i] * plugin.weight;
    }
    return totals;
  }

  /** The highest score; among equals each is equally likely (reservoir sampling, as upstream). */
  private selectHost(totals: number[]): number {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i] > totals[best]) { best = i; ties = 1; } else if (totals[i] === totals[best]) {
        ties++;
        if (Math.floor(this.random() * ties) === 0) best = i;
      }
    }
    return best;
  }

  /** Filters run twice when higher-or-equal priority pods are nominated to the node: with them, then without. */
  private judgeWithNominated(pod: Pod, priority: number, n: NodeInfo, judge: (n: NodeInfo) => Status | undefined): Status | undefined {
    const nominated = (this.opts.nominatedPods?.(n.name) ?? [])
      .filter((p) => p.metadata?.uid !== pod.metadata?.uid && podPriority(p) >= priority);
    if (nominated.length) {
      const withNominated = n.clone();
      for (const p of nominated) withNominated.addPod(newPodInfo(p));
      const st = judge(withNominated);
      if (st) return st;
    }
    return judge(n);
  }
}
