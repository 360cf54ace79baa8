// Node lifecycle and pod GC rules: silent-node conditions, taints from Ready, toleration-based eviction
// times, and which terminated pods go beyond the threshold.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { desiredTaints, evictionTime, silentNodeConditions, tolerates } from '../../src/controllers/node-lifecycle/node-health';
import { terminatedPodsOverThreshold } from '../../src/controllers/podgc-controller';

const node = (ready?: string, taints: Node['spec'] = {}): Node => ({
  metadata: { name: 'n', creationTimestamp: 'C' }, spec: taints,
  status: { conditions: ready ? [{ type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: 'H', lastTransitionTime: 'T0' }] : [] },
});

test('silent node: Ready and pressure conditions become Unknown, once', () => {
  const c = silentNodeConditions(node('True'), 'T1')!;
  expect(c[0]).toEqual({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: 'H', lastTransitionTime: 'T1' });
  expect(c.find((x) => x.type === 'PIDPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
  expect(silentNodeConditions({ ...node(), status: { conditions: c } }, 'T2')).toBeUndefined();
});

test('taints follow Ready: unreachable for Unknown, not-ready for False, none for True; others kept', () => {
  expect(desiredTaints(node('Unknown'), 'T')).toEqual([
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'T' }]);
  const other = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
  const notReady = desiredTaints(node('False', { taints: [other, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'old' }] }), 'T');
  expect(notReady).toEqual([other, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'T' }]);
  expect(desiredTaints(node('True', { taints: notReady }), 'T2')).toEqual([other]);
  expect(desiredTaints(node('Unknown', { taints: desiredTaints(node('Unknown'), 'T') }), 'T9')[1].timeAdded).toBe('T');
});

test('eviction time from NoExecute taints and tolerations', () => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' };
  const pod = (tolerations: NonNullable<Pod['spec']>['tolerations']): Pod => ({ spec: { containers: [], tolerations } });
  expect(evictionTime(pod([]), [taint])).toBe(0);
  expect(evictionTime(pod([{ key: taint.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]), [taint])).toBe(Date.parse(taint.timeAdded) + 300_000);
  expect(evictionTime(pod([{ operator: 'Exists' }]), [taint])).toBeUndefined();
  expect(evictionTime(pod([]), [{ key: 'x', effect: 'NoSchedule' }])).toBeUndefined();
  expect(tolerates({ key: 'k', value: 'v', effect: 'NoExecute' }, { key: 'k', value: 'w', effect: 'NoExecute' })).toBe(false);
});

test('terminated pods beyond the threshold go oldest first; running ones never', () => {
  const p = (name: string, phase: string, created: string): Pod => ({ metadata: { name, creationTimestamp: created }, status: { phase } });
  const pods = [p('new', 'Succeeded', '2024-01-03T00:00:00Z'), p('run', 'Running', '2024-01-01T00:00:00Z'),
    p('old', 'Failed', '2024-01-01T00:00:00Z'), p('mid', 'Succeeded', '2024-01-02T00:00:00Z')];
  expect(terminatedPodsOverThreshold(pods, 1).map((x) => x.metadata?.name)).toEqual(['old', 'mid']);
  expect(terminatedPodsOverThreshold(pods, 3)).toEqual([]);
  expect(terminatedPodsOverThreshold(pods, 0)).toEqual([]);
});
