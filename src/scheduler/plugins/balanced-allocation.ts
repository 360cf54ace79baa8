// NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in equal fractions
// (1 - standard deviation of the fractions), skipped for pods that request nothing.
import { maxNodeScore, type ScorePlugin } from '../framework';
import { podRequests } from '../resources';

const resources = ['cpu', 'memory'];

export const balancedAllocationScore: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  prepare(pod) {
    const req = podRequests(pod);
    if (resources.every((r) => !req[r])) return null;
    return {
      score(n) {
        const fractions: number[] = [];
        for (const r of resources) {
          const alloc = n.allocatable[r] ?? 0;
          if (alloc === 0) continue;
          fractions.push(Math.min(1, ((n.requested[r] ?? 0) + (req[r] ?? 0)) / alloc));
        }
        let std = 0;
        if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
        else if (fractions.length > 2) {
          const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
          std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
        }
        return Math.trunc((1 - std) * maxNodeScore);
      },
    };
  },
};
