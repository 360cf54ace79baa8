// PodTopologySpread: DoNotSchedule constraints keep the count of matching pods per topology domain
// within maxSkew of the smallest domain (0 when fewer than minDomains domains exist); ScheduleAnyway
// constraints score emptier domains higher. Domains come from nodes that match the pod's node affinity
// (nodeAffinityPolicy Honor) whatever their taints (nodeTaintsPolicy Ignore), as upstream defaults.
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { fromLabelSelector, LabelSelector } from '../../registry/label-selector';
import { maxNodeScore, unresolvable, unschedulable, type FilterPlugin, type ScorePlugin } from '../framework';
import type { NodeInfo } from '../node-info';
import { requiredNodeAffinityMatches } from '../node-selector';
import { firstUntolerated } from '../tolerations';

const name = 'PodTopologySpread';
const hostnameKey = 'kubernetes.io/hostname';

interface Constraint { key: string; maxSkew: number; minDomains: number; selector: LabelSelector | null; c: TopologySpreadConstraint }

function constraintsOf(pod: Pod, mode: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  return (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === mode).map((c) => {
    let selector: LabelSelector | null = null;
    try { selector = fromLabelSelector(c.labelSelector); } catch { selector = null; }
    // matchLabelKeys narrow the selector to the incoming pod's own values of those labels.
    const labels = pod.metadata?.labels ?? {};
    const extra = (c.matchLabelKeys ?? []).filter((k) => k in labels).map((k) => ({ key: k, op: 'in' as const, values: [labels[k]] }));
    if (selector && extra.length) selector = new LabelSelector([...selector.requirements, ...extra]);
    return { key: c.topologyKey, maxSkew: c.maxSkew, minDomains: c.minDomains ?? 1, selector, c };
  });
}

/** Whether the node's pods count for the constraint's domains (nodeAffinityPolicy, nodeTaintsPolicy). */
function nodeCounts(pod: Pod, n: NodeInfo, c: TopologySpreadConstraint): boolean {
  if (!n.node) return false;
  if ((c.nodeAffinityPolicy ?? 'Honor') === 'Honor' && !requiredNodeAffinityMatches(pod, n.node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && firstUntolerated(n.node.spec?.taints ?? [], pod.spec?.tolerations ?? [], ['NoSchedule', 'NoExecute'])) return false;
  return true;
}

function countMatching(n: NodeInfo, selector: LabelSelector | null, namespace: string): number {
  if (!selector) return 0;
  let count = 0;
  for (const pi of n.pods.values()) {
    const p = pi.pod;
    if (p.metadata?.deletionTimestamp || p.metadata?.namespace !== namespace) continue;
    if (selector.matches(p.metadata?.labels)) count++;
  }
  return count;
}

export const podTopologySpreadFilter: FilterPlugin = {
  name,
  prepare(pod, snap) {
    const constraints = constraintsOf(pod, 'DoNotSchedule');
    if (constraints.length === 0) return null;
    const ns = pod.metadata?.namespace ?? '';
    const counts = constraints.map(() => new Map<string, number>());
    for (const n of snap.nodes) {
      if (!constraints.every((c) => c.key in n.labels)) continue;
      constraints.forEach((c, i) => {
        if (!nodeCounts(pod, n, c.c)) return;
        const v = n.labels[c.key];
        counts[i].set(v, (counts[i].get(v) ?? 0) + countMatching(n, c.selector, ns));
      });
    }
    const minMatch = constraints.map((c, i) => (counts[i].size < c.minDomains ? 0 : Math.min(...counts[i].values())));
    const selfMatch = constraints.map((c) => (c.selector?.matches(pod.metadata?.labels) ? 1 : 0));
    return (n) => {
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i];
        const v = n.labels[c.key];
        if (v === undefined) return unresolvable(name, "node(s) didn't match pod topology spread constraints (missing required label)");
        const skew = (counts[i].get(v) ?? 0) + selfMatch[i] - (Number.isFinite(minMatch[i]) ? minMatch[i] : 0);
        if (skew > c.maxSkew) return unschedulable(name, "node(s) didn't match pod topology spread constraints");
      }
      return undefined;
    };
  },
};

export const podTopologySpreadScore: ScorePlugin = {
  name,
  weight: 2,
  prepare(pod, snap, feasible) {
    const constraints = constraintsOf(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return null;
    const ns = pod.metadata?.namespace ?? '';
    const hasAllKeys = (n: NodeInfo) => constraints.every((c) => c.key in n.labels);
    const ignored = new Set(feasible.filter((n) => !hasAllKeys(n)).map((n) => n.name));
    const domains = constraints.map((c) => new Map<string, number>());
    for (const n of feasible) {
      if (ignored.has(n.name)) continue;
      constraints.forEach((c, i) => { if (c.key !== hostnameKey) domains[i].set(n.labels[c.key], 0); });
    }
    const weights = constraints.map((c, i) => Math.log((c.key === hostnameKey ? feasible.length - ignored.size : domains[i].size) + 2));
    for (const n of snap.nodes) {
      if (!hasAllKeys(n)) continue;
      constraints.forEach((c, i) => {
        if (c.key === hostnameKey || !nodeCounts(pod, n, c.c)) return;
        const v = n.labels[c.key];
        if (domains[i].has(v)) domains[i].set(v, domains[i].get(v)! + countMatching(n, c.selector, ns));
      });
    }
    return {
      score(n) {
        if (ignored.has(n.name)) return 0;
        let s = 0;
        constraints.forEach((c, i) => {
          const cnt = c.key === hostnameKey ? countMatching(n, c.selector, ns) : (domains[i].get(n.labels[c.key]) ?? 0);
          s += cnt * weights[i] + (c.maxSkew - 1);
        });
        return Math.round(s);
      },
      normalize(list, nodes) {
        let min = Infinity;
        let max = 0;
        list.forEach((s, i) => { if (!ignored.has(nodes[i].name)) { min = Math.min(min, s); max = Math.max(max, s); } });
        for (let i = 0; i < list.length; i++) {
          if (ignored.has(nodes[i].name)) list[i] = 0;
          else list[i] = max === 0 ? maxNodeScore : Math.trunc((maxNodeScore * (max + min - list[i])) / max);
        }
      },
    };
  },
};
