// NodeResourcesFit: the pod's requests must fit the node's allocatable minus what its pods (bound or
// assumed) request, and the node's pod count; LeastAllocated scores the room left on cpu and memory.
import { defaultMilliCPURequest, defaultMemoryRequest, podRequests } from '../resources';
import { maxNodeScore, unschedulable, type FilterPlugin, type ScorePlugin, type Status } from '../framework';
import type { NodeInfo } from '../node-info';

const name = 'NodeResourcesFit';
const fixedOrder = ['cpu', 'memory', 'ephemeral-storage'];

/** Every reason the node lacks room, in upstream's order (pods, cpu, memory, ephemeral storage, others). */
export function insufficientResources(requests: Record<string, number>, n: NodeInfo): string[] {
  const reasons: string[] = [];
  const allowedPods = n.allocatable.pods ?? 0;
  if (n.pods.size + 1 > allowedPods) reasons.push('Too many pods');
  const others = Object.keys(requests).filter((r) => !fixedOrder.includes(r) && r !== 'pods').sort();
  for (const r of [...fixedOrder, ...others]) {
    const want = requests[r] ?? 0;
    if (want > 0 && want > (n.allocatable[r] ?? 0) - (n.requested[r] ?? 0)) reasons.push(`Insufficient ${r}`);
  }
  return reasons;
}

export const nodeResourcesFitFilter: FilterPlugin = {
  name,
  prepare(pod) {
    const requests = podRequests(pod);
    return (n): Status | undefined => {
      const reasons = insufficientResources(requests, n);
      return reasons.length ? unschedulable(name, ...reasons) : undefined;
    };
  },
};

/** (allocatable - requested) scaled to 0..100, 0 when over-committed. */
function leastRequested(requested: number, allocatable: number): number {
  if (requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * maxNodeScore) / allocatable);
}

export const leastAllocatedScore: ScorePlugin = {
  name,
  weight: 1,
  prepare(pod) {
    const nonZero = podRequests(pod, true);
    const cpu = nonZero.cpu ?? defaultMilliCPURequest;
    const memory = nonZero.memory ?? defaultMemoryRequest;
    return {
      score(n) {
        let total = 0;
        let weights = 0;
        for (const [r, want] of [['cpu', cpu], ['memory', memory]] as const) {
          const alloc = n.allocatable[r] ?? 0;
          if (alloc === 0) continue;
          total += leastRequested((n.nonZeroRequested[r] ?? 0) + want, alloc);
          weights++;
        }
        return weights ? Math.trunc(total / weights) : 0;
      },
    };
  },
};
