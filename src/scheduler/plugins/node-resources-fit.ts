// NodeResourcesFit: the pod's requests must fit the node's allocatable minus what its pods (bound or
// assumed) request, and the node's pod count; LeastAllocated scores the room left on cpu and memory.
import { defaultMilliCPURequest, defaultMemoryRequest, podRequests } from '../resources';
import { maxNodeScore, unschedulable, type FilterPlugin, type ScorePlugin, type Status } from '../framework';

const name = 'NodeResourcesFit';
const fixedOrder = ['cpu', 'memory', 'ephemeral-storage'];

/** The pod's non-zero requests in upstream's reporting order (cpu, memory, ephemeral storage, then the others sorted). */
function requestOrder(requests: Record<string, number>): [string, number][] {
  const others = Object.keys(requests).filter((r) => !fixedOrder.includes(r) && r !== 'pods').sort();
  return [...fixedOrder, ...others].filter((r) => (requests[r] ?? 0) > 0).map((r) => [r, requests[r]!]);
}

export const nodeResourcesFitFilter: FilterPlugin = {
  name,
  prepare(pod) {
    // Ordered once per pod: the filter runs on hundreds of nodes per decision.
    const wanted = requestOrder(podRequests(pod));
    return (n): Status | undefined => {
      let reasons: string[] | undefined;
      if (n.pods.size + 1 > (n.allocatable.pods ?? 0)) reasons = ['Too many pods'];
      for (const [r, want] of wanted) {
        if (want > (n.allocatable[r] ?? 0) - (n.requested[r] ?? 0)) (reasons ??= []).push(`Insufficient ${r}`);
      }
      return reasons ? unschedulable(name, ...reasons) : undefined;
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
        const cpuAlloc = n.allocatable.cpu ?? 0;
        if (cpuAlloc > 0) { total += leastRequested((n.nonZeroRequested.cpu ?? 0) + cpu, cpuAlloc); weights++; }
        const memAlloc = n.allocatable.memory ?? 0;
        if (memAlloc > 0) { total += leastRequested((n.nonZeroRequested.memory ?? 0) + memory, memAlloc); weights++; }
        return weights ? Math.trunc(total / weights) : 0;
      },
    };
  },
};
