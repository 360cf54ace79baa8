// The scheduling framework's shapes, after upstream's: a filter plugin prepares per pod (PreFilter) and
// then judges one node at a time; a score plugin prepares over the feasible nodes, scores each and
// normalizes to 0-100; the weighted sum picks the node.
import type { Pod } from 'kubernetes-types/core/v1';
import type { NodeInfo } from './node-info';

/** Unschedulable: preemption might help; UnschedulableAndUnresolvable: it cannot. */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface Status {
  code: StatusCode;
  reasons: string[];
  plugin: string;
}

export const unschedulable = (plugin: string, ...reasons: string[]): Status => ({ code: 'Unschedulable', reasons, plugin });
export const unresolvable = (plugin: string, ...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons, plugin });

/** What the scheduler sees of the cluster while it schedules one pod. */
export interface Snapshot {
  /** Every node, in a stable order. */
  readonly nodes: readonly NodeInfo[];
  node(name: string): NodeInfo | undefined;
  /** Labels of a namespace, for affinity terms' namespaceSelector (undefined when unknown). */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** How many nodes report having this (normalized) image. */
  imageNodeCount(image: string): number;
}

/** Judges one node; undefined means it passes. */
export type NodeFilter = (node: NodeInfo) => Status | undefined;

export interface FilterPlugin {
  name: string;
  /** Per-pod preparation; null when the plugin has nothing to check for this pod. */
  prepare(pod: Pod, snapshot: Snapshot): NodeFilter | null;
}

export interface NodeScorer {
  score(node: NodeInfo): number;
  /** Rewrites raw scores (scores[i] is nodes[i]'s) into 0..100. */
  normalize?(scores: number[], nodes: readonly NodeInfo[]): void;
}

export interface ScorePlugin {
  name: string;
  weight: number;
  /** Per-pod preparation over the feasible nodes; null when the plugin does not score this pod. */
  prepare(pod: Pod, snapshot: Snapshot, feasible: readonly NodeInfo[]): NodeScorer | null;
}

export const maxNodeScore = 100;

/** Upstream's DefaultNormalizeScore: scale to 0..100 by the maximum, reversed when lower is better. */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  const max = Math.max(0, ...scores);
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) { if (reverse) scores[i] = maxNodeScore; continue; }
    const s = Math.trunc((maxNodeScore * scores[i]) / max);
    scores[i] = reverse ? maxNodeScore - s : s;
  }
}
