// PodDisruptionBudget arithmetic as upstream's disruption controller computes it: expected pods from the
// controllers' scale or the pods, desired healthy for int and percent minAvailable/maxUnavailable (rounded
// up), healthy pods, recent evictions, and the DisruptionAllowed condition.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { budgetStatus, countHealthy, expectedPods, liveDisruptions, scaledValue, type ScaleOf } from '../../src/controllers/disruption/disruption-budget';

const pod = (name: string, o: { ready?: boolean; owner?: string; deleting?: boolean } = {}): Pod => ({
  metadata: {
    name, deletionTimestamp: o.deleting ? '2024-01-01T00:00:00Z' : undefined,
    ownerReferences: o.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: o.owner, controller: true }] : undefined,
  },
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const budget = (spec: PodDisruptionBudget['spec'], status?: PodDisruptionBudget['status']): PodDisruptionBudget =>
  ({ metadata: { name: 'b', generation: 3 }, spec: { selector: {}, ...spec }, status });
const scales: Record<string, number> = { rs1: 4, rs2: 6 };
const scaleOf: ScaleOf = async (p) => {
  const ref = p.metadata?.ownerReferences?.[0];
  return ref ? { uid: ref.uid, replicas: scales[ref.uid] } : 'unmanaged';
};
const four = [pod('a', { owner: 'rs1' }), pod('b', { owner: 'rs1' }), pod('c', { owner: 'rs1' }), pod('d', { owner: 'rs1', ready: false })];

test('percentages round up', () => {
  expect(scaledValue('50%', 3)).toBe(2);
  expect(scaledValue('10%', 10)).toBe(1);
  expect(scaledValue(2, 10)).toBe(2);
  expect(() => scaledValue('x%', 3)).toThrow('invalid value for IntOrString');
});

test('integer minAvailable counts the pods themselves', async () => {
  expect(await expectedPods(budget({ minAvailable: 2 }), four.slice(0, 3), scaleOf)).toEqual({ expectedCount: 3, desiredHealthy: 2, unmanaged: [] });
});

test('percent minAvailable and maxUnavailable use the controllers\' scale', async () => {
  expect(await expectedPods(budget({ minAvailable: '50%' }), four, scaleOf)).toEqual({ expectedCount: 4, desiredHealthy: 2, unmanaged: [] });
  expect(await expectedPods(budget({ maxUnavailable: 1 }), [...four, pod('e', { owner: 'rs2' })], scaleOf)).toEqual({ expectedCount: 10, desiredHealthy: 9, unmanaged: [] });
  expect(await expectedPods(budget({ maxUnavailable: '30%' }), four, scaleOf)).toEqual({ expectedCount: 4, desiredHealthy: 2, unmanaged: [] });
  expect(await expectedPods(budget({ maxUnavailable: '100%' }), [...four, pod('x')], scaleOf)).toEqual({ expectedCount: 4, desiredHealthy: 0, unmanaged: ['x'] });
});

test('status: healthy pods above desired are the disruptions allowed', async () => {
  const b = budget({ minAvailable: 2 });
  const e = await expectedPods(b, four, scaleOf);
  const st = budgetStatus(b, countHealthy(four, {}), e, {}, '2024-01-01T00:00:00Z');
  expect(st).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 4, disruptionsAllowed: 1, observedGeneration: 3 });
  expect(st.conditions).toEqual([{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 3, lastTransitionTime: '2024-01-01T00:00:00Z' }]);
  const tight = budgetStatus(budget({ minAvailable: 3 }, st), 3, { expectedCount: 4, desiredHealthy: 3, unmanaged: [] }, {}, '2024-02-02T00:00:00Z');
  expect(tight.disruptionsAllowed).toBe(0);
  expect(tight.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods', lastTransitionTime: '2024-02-02T00:00:00Z' });
});

test('a recently evicted pod is not healthy; an old or deleting one drops out of disruptedPods', () => {
  const now = Date.parse('2024-01-01T00:10:00Z');
  const pods = [pod('a'), pod('b'), pod('c', { deleting: true })];
  const b = budget({ minAvailable: 1 }, { disruptedPods: { a: '2024-01-01T00:09:30Z', b: '2024-01-01T00:01:00Z', c: '2024-01-01T00:09:59Z', gone: '2024-01-01T00:09:59Z' } } as unknown as PodDisruptionBudget['status']);
  const { disrupted, recheckAt } = liveDisruptions(b, pods, now);
  expect(disrupted).toEqual({ a: '2024-01-01T00:09:30Z' });
  expect(recheckAt).toBe(Date.parse('2024-01-01T00:11:30Z'));
  expect(countHealthy(pods, disrupted)).toBe(1);
});
