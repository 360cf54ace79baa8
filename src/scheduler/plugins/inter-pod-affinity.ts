// InterPodAffinity: required affinity needs a matching pod in the node's topology domain (or, for the
// first pod of a group, a match with itself); required anti-affinity, the pod's and the existing pods',
// forbids one. Preferred terms on both sides (and existing pods' required affinity, weight 1) score.
import type { Pod } from 'kubernetes-types/core/v1';
import {
  preferredAffinityTerms, preferredAntiAffinityTerms, requiredAffinityTerms, requiredAntiAffinityTerms,
  termMatchesPod, type AffinityTerm, type WeightedAffinityTerm,
} from '../affinity-term';
import { maxNodeScore, unresolvable, unschedulable, type FilterPlugin, type ScorePlugin, type Snapshot } from '../framework';
import type { NodeInfo } from '../node-info';

const name = 'InterPodAffinity';
const hardPodAffinityWeight = 1;

const pairKey = (k: string, v: string) => `${k}\u0000${v}`;

function bump(counts: Map<string, number>, key: string, by = 1): void { counts.set(key, (counts.get(key) ?? 0) + by); }

export const interPodAffinityFilter: FilterPlugin = {
  name,
  prepare(pod, snap) {
    const nsLabels = (ns: string) => snap.namespaceLabels(ns);
    const affinity = requiredAffinityTerms(pod);
    const anti = requiredAntiAffinityTerms(pod);
    const existingAnti = new Map<string, number>();
    const affinityCounts = new Map<string, number>();
    const antiCounts = new Map<string, number>();
    for (const n of snap.nodes) {
      const labels = n.labels;
      if (n.podsWithRequiredAntiAffinity > 0) {
        for (const pi of n.pods.values()) {
          if (!pi.hasRequiredAntiAffinity) continue;
          for (const t of requiredAntiAffinityTerms(pi.pod)) {
            if (t.topologyKey in labels && termMatchesPod(t, pod, nsLabels)) bump(existingAnti, pairKey(t.topologyKey, labels[t.topologyKey]));
          }
        }
      }
      if (affinity.length === 0 && anti.length === 0) continue;
      for (const pi of n.pods.values()) {
        if (affinity.length && affinity.every((t) => termMatchesPod(t, pi.pod, nsLabels))) {
          for (const t of affinity) if (t.topologyKey in labels) bump(affinityCounts, pairKey(t.topologyKey, labels[t.topologyKey]));
        }
        for (const t of anti) {
          if (t.topologyKey in labels && termMatchesPod(t, pi.pod, nsLabels)) bump(antiCounts, pairKey(t.topologyKey, labels[t.topologyKey]));
        }
      }
    }
    if (existingAnti.size === 0 && affinity.length === 0 && anti.length === 0) return null;
    // The first pod of a group that selects itself may go anywhere its affinity's keys exist.
    const selfMatch = affinity.length > 0 && affinity.every((t) => termMatchesPod(t, pod, nsLabels));
    return (n) => {
      const labels = n.labels;
      if (affinity.length) {
        const ok = affinity.every((t) => t.topologyKey in labels && (affinityCounts.get(pairKey(t.topologyKey, labels[t.topologyKey])) ?? 0) > 0);
        const allKeys = affinity.every((t) => t.topologyKey in labels);
        if (!ok && !(affinityCounts.size === 0 && selfMatch && allKeys)) return unresolvable(name, "node(s) didn't match pod affinity rules");
      }
      if (anti.some((t) => t.topologyKey in labels && (antiCounts.get(pairKey(t.topologyKey, labels[t.topologyKey])) ?? 0) > 0)) {
        return unschedulable(name, "node(s) didn't match pod anti-affinity rules");
      }
      for (const [k, v] of Object.entries(labels)) {
        if ((existingAnti.get(pairKey(k, v)) ?? 0) > 0) return unschedulable(name, "node(s) didn't satisfy existing pods anti-affinity rules");
      }
      return undefined;
    };
  },
};

/** Adds weight × multiplier to the domain of `node` under the term's key when the term selects `target`. */
function processTerms(scores: Map<string, number>, terms: readonly (AffinityTerm & { weight?: number })[], target: Pod,
  node: NodeInfo, multiplier: number, snap: Snapshot, weight?: number): void {
  for (const t of terms) {
    const v = node.labels[t.topologyKey];
    if (v === undefined) continue;
    if (termMatchesPod(t, target, (ns) => snap.namespaceLabels(ns))) bump(scores, pairKey(t.topologyKey, v), (weight ?? t.weight ?? 0) * multiplier);
  }
}

export const interPodAffinityScore: ScorePlugin = {
  name,
  weight: 2,
  prepare(pod, snap) {
    const prefAffinity: WeightedAffinityTerm[] = preferredAffinityTerms(pod);
    const prefAnti: WeightedAffinityTerm[] = preferredAntiAffinityTerms(pod);
    const hasOwn = prefAffinity.length > 0 || prefAnti.length > 0;
    const scores = new Map<string, number>();
    for (const n of snap.nodes) {
      if (!hasOwn && n.podsWithAffinity === 0) continue;
      if (Object.keys(n.labels).length === 0) continue;
      for (const pi of n.pods.values()) {
        if (hasOwn) {
          processTerms(scores, prefAffinity, pi.pod, n, 1, snap);
          processTerms(scores, prefAnti, pi.pod, n, -1, snap);
        }
        if (!pi.hasAffinity) continue;
        processTerms(scores, requiredAffinityTerms(pi.pod), pod, n, 1, snap, hardPodAffinityWeight);
        processTerms(scores, preferredAffinityTerms(pi.pod), pod, n, 1, snap);
        processTerms(scores, preferredAntiAffinityTerms(pi.pod), pod, n, -1, snap);
      }
    }
    if (scores.size === 0) return null;
    const keys = new Set([...scores.keys()].map((k) => k.split('\u0000')[0]));
    return {
      score(n) {
        let s = 0;
        for (const k of keys) {
          const v = n.labels[k];
          if (v !== undefined) s += scores.get(pairKey(k, v)) ?? 0;
        }
        return s;
      },
      normalize(list) {
        const min = Math.min(...list);
        const diff = Math.max(...list) - min;
        for (let i = 0; i < list.length; i++) list[i] = diff > 0 ? Math.trunc((maxNodeScore * (list[i] - min)) / diff) : 0;
      },
    };
  },
};
