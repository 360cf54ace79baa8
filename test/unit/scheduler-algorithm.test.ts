// The scheduling algorithm on hollow nodes: where each pod lands (filters and scores), the FitError
// message upstream prints when it lands nowhere, and which pods preemption evicts.
import { fitErrorMessage } from '../../src/scheduler/fit-error';
import { preempt } from '../../src/scheduler/preemption';
import { SchedulingAlgorithm } from '../../src/scheduler/schedule-pod';
import { cacheOf, node, pod, seeded } from './scheduler-fixtures';
import { cases } from './scheduler-cases';

describe('scheduling algorithm (table)', () => {
  it('has at least 40 cases', () => { expect(cases.length).toBeGreaterThanOrEqual(40); });

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const cache = cacheOf(c.nodes, c.bound);
    for (const [p, n] of c.assumed ?? []) cache.assume(p, n);
    if (c.lands) {
      // Several seeds, so a case cannot pass by a lucky tie-break.
      for (let seed = 1; seed <= 5; seed++) {
        const r = new SchedulingAlgorithm({ random: seeded(seed) }).schedule(c.pod, cache);
        expect(r.kind).toBe('scheduled');
        if (r.kind === 'scheduled') expect(c.lands).toContain(r.node);
      }
      return;
    }
    const alg = new SchedulingAlgorithm({ random: seeded(1) });
    const res = alg.schedule(c.pod, cache);
    expect(res.kind).toBe('unfit');
    if (res.kind !== 'unfit') return;
    if (res.numAllNodes === 0) { expect(c.message).toBe('no nodes available to schedule pods'); return; }
    const pre = preempt(c.pod, cache, res.statuses, alg.filters, seeded(2));
    if (c.preempts) {
      expect(pre.kind).toBe('nominate');
      if (pre.kind === 'nominate') {
        expect(pre.candidate.node).toBe(c.preempts.node);
        expect(pre.candidate.victims.map((v) => v.metadata?.name)).toEqual(c.preempts.victims);
      }
      return;
    }
    expect(pre.kind).toBe('none');
    if (pre.kind === 'none') expect(fitErrorMessage(res.numAllNodes, res.statuses, undefined, `preemption: ${pre.message}`)).toBe(c.message);
  });
});

describe('scheduling algorithm (ties and windows)', () => {
  it('breaks ties at random, reproducibly for a seed, reaching every tied node', () => {
    const nodes = [node('n1'), node('n2'), node('n3')];
    const pick = (seed: number) => {
      const r = new SchedulingAlgorithm({ random: seeded(seed) }).schedule(pod('p'), cacheOf(nodes));
      return r.kind === 'scheduled' ? r.node : '';
    };
    expect(pick(7)).toBe(pick(7));
    const seen = new Set(Array.from({ length: 40 }, (_, i) => pick(i)));
    expect([...seen].sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('evaluates an adaptive share of large clusters, rotating the start', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`n${i}`));
    const alg = new SchedulingAlgorithm({ random: seeded(3) });
    const cache = cacheOf(nodes);
    const r1 = alg.schedule(pod('a'), cache);
    expect(r1.kind === 'scheduled' && r1.evaluatedNodes).toBe(420);
    const r2 = alg.schedule(pod('b'), cache);
    expect(r2.kind === 'scheduled' && Number(r2.node.slice(1)) >= 420 && Number(r2.node.slice(1)) < 840).toBe(true);
  });

  it('leaves room for a higher-priority pod nominated to a node', () => {
    const alg = new SchedulingAlgorithm({
      random: seeded(1),
      nominatedPods: (n) => (n === 'n1' ? [pod('nominee', { cpu: '3', priority: 100 })] : []),
    });
    const res = alg.schedule(pod('p', { cpu: '2', priority: 1 }), cacheOf([node('n1'), node('n2', { cpu: '2' })]));
    expect(res.kind === 'scheduled' && res.node).toBe('n2');
  });
});
