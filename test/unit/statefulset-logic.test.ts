// The StatefulSet controller's pure logic: pod identity and claims, one reconcile step for OrderedReady,
// Parallel, RollingUpdate with partition and OnDelete, the status the pods give, and revision history.
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { nextRevision, revisionsToTrim, sortRevisions, templateOf, templatePatch } from '../../src/controllers/history/controller-history';
import { claimsFor, identityMatches, newStatefulPod, parentAndOrdinal, storageMatches } from '../../src/controllers/statefulset/stateful-pod';
import { planStatefulSet, statefulSetStatus, type PlanInput } from '../../src/controllers/statefulset/stateful-set-plan';

const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true };

function sts(replicas: number, spec: Partial<NonNullable<StatefulSet['spec']>> = {}, image = 'a'): StatefulSet {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u1', generation: 1 },
    spec: {
      replicas, serviceName: 'svc', selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }], volumes: [{ name: 'tmp', emptyDir: {} }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'] } }],
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ...spec,
    },
  };
}

function pod(set: StatefulSet, ordinal: number, state: 'ready' | 'pending' | 'terminating' | 'failed', revision = 'rev1'): Pod {
  const base = newStatefulPod(set, ordinal, revision, ref);
  return {
    ...base,
    metadata: { ...base.metadata, uid: `uid-${ordinal}`, ...(state === 'terminating' ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    status: state === 'ready' ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } : { phase: state === 'failed' ? 'Failed' : 'Pending' },
  };
}

function input(set: StatefulSet, pods: Pod[], updateRevision = 'rev1', currentRevision = 'rev1', currentSet = set): PlanInput {
  return { updateSet: set, currentSet, currentRevision, updateRevision, pods, ref, now: Date.now() };
}

const summary = (i: PlanInput): string[] => planStatefulSet(i).map((a) => `${a.type} ${a.type === 'create' ? a.pod.metadata?.name : a.pod.metadata?.name}`);

describe('identity', () => {
  test('names, labels, hostname, subdomain and claim volumes', () => {
    const set = sts(2);
    const p = newStatefulPod(set, 1, 'web-abc', ref);
    expect(p.metadata?.name).toBe('web-1');
    expect(p.metadata?.labels).toEqual({ app: 'web', 'controller-revision-hash': 'web-abc', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' });
    expect(p.spec?.hostname).toBe('web-1');
    expect(p.spec?.subdomain).toBe('svc');
    expect(p.spec?.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }, { name: 'tmp', emptyDir: {} }]);
    expect(identityMatches(set, p) && storageMatches(set, p)).toBe(true);
    expect(parentAndOrdinal({ metadata: { name: 'my-set-12' } })).toEqual({ parent: 'my-set', ordinal: 12 });
    expect(parentAndOrdinal({ metadata: { name: 'web' } }).ordinal).toBe(-1);
  });

  test('claims carry the selector labels', () => {
    const c = claimsFor(sts(1), 0).get('www');
    expect(c?.metadata).toMatchObject({ name: 'www-web-0', namespace: 'ns', labels: { app: 'web' } });
  });
});

describe('OrderedReady', () => {
  const set = sts(3);
  test('creates the lowest missing ordinal only, and only when every earlier pod is Running and Ready', () => {
    expect(summary(input(set, []))).toEqual(['create web-0']);
    expect(summary(input(set, [pod(set, 0, 'pending')]))).toEqual([]);
    expect(summary(input(set, [pod(set, 0, 'ready')]))).toEqual(['create web-1']);
    expect(summary(input(set, [pod(set, 0, 'ready'), pod(set, 2, 'ready')]))).toEqual(['create web-1']);
  });
  test('a failed pod is deleted, to be recreated once gone', () => {
    expect(summary(input(set, [pod(set, 0, 'failed')]))).toEqual(['delete web-0']);
  });
  test('scale down removes the highest ordinal first and waits for its termination', () => {
    const two = sts(1);
    expect(summary(input(two, [pod(two, 0, 'ready'), pod(two, 1, 'ready'), pod(two, 2, 'ready')]))).toEqual(['delete web-2']);
    expect(summary(input(two, [pod(two, 0, 'ready'), pod(two, 1, 'ready'), pod(two, 2, 'terminating')]))).toEqual([]);
  });
  test('condemned pods go highest first whether or not they are healthy; an unhealthy kept pod blocks scale down', () => {
    const one = sts(1);
    expect(summary(input(one, [pod(one, 0, 'ready'), pod(one, 1, 'ready'), pod(one, 2, 'pending')]))).toEqual(['delete web-2']);
    expect(summary(input(one, [pod(one, 0, 'ready'), pod(one, 1, 'pending'), pod(one, 2, 'ready')]))).toEqual(['delete web-2']);
    expect(summary(input(one, [pod(one, 0, 'pending'), pod(one, 1, 'ready')]))).toEqual([]);
  });
});

test('Parallel creates and deletes every pod at once', () => {
  const set = sts(3, { podManagementPolicy: 'Parallel' });
  expect(summary(input(set, [pod(set, 1, 'pending')]))).toEqual(['create web-0', 'create web-2']);
  const down = sts(1, { podManagementPolicy: 'Parallel' });
  expect(summary(input(down, [pod(down, 0, 'ready'), pod(down, 1, 'pending'), pod(down, 2, 'ready')]))).toEqual(['delete web-2', 'delete web-1']);
});

describe('RollingUpdate', () => {
  test('replaces the highest ordinal not at the update revision, one at a time, down to the partition', () => {
    const set = sts(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, 'b');
    const pods = [0, 1, 2].map((i) => pod(set, i, 'ready', 'rev1'));
    expect(summary(input(set, pods, 'rev2'))).toEqual(['delete web-2']);
    pods[2] = pod(set, 2, 'pending', 'rev2');
    expect(summary(input(set, pods, 'rev2'))).toEqual([]);
    pods[2] = pod(set, 2, 'ready', 'rev2');
    expect(summary(input(set, pods, 'rev2'))).toEqual(['delete web-1']);
    pods[1] = pod(set, 1, 'ready', 'rev2');
    expect(summary(input(set, pods, 'rev2'))).toEqual([]);
  });
  test('a recreated pod below the partition keeps the current revision and its template', () => {
    const update = sts(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, 'b');
    const current = sts(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, 'a');
    const actions = planStatefulSet(input(update, [], 'rev2', 'rev1', current));
    expect(actions[0].type === 'create' && [actions[0].pod.metadata?.labels?.['controller-revision-hash'], actions[0].pod.spec?.containers[0].image]).toEqual(['rev1', 'a']);
  });
  test('OnDelete replaces nothing itself', () => {
    const set = sts(2, { updateStrategy: { type: 'OnDelete' } }, 'b');
    expect(summary(input(set, [pod(set, 0, 'ready', 'rev1'), pod(set, 1, 'ready', 'rev1')], 'rev2'))).toEqual([]);
  });
});

test('status counts replicas, ready, current and updated pods, and completes a finished rollout', () => {
  const set = sts(2);
  const mid = statefulSetStatus(input(set, [pod(set, 0, 'ready', 'rev1'), pod(set, 1, 'ready', 'rev2')], 'rev2'), 0);
  expect(mid).toEqual({ observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 1, updatedReplicas: 1, currentRevision: 'rev1', updateRevision: 'rev2', collisionCount: 0 });
  const done = statefulSetStatus(input(set, [pod(set, 0, 'ready', 'rev2'), pod(set, 1, 'ready', 'rev2')], 'rev2'), 0);
  expect(done).toMatchObject({ currentReplicas: 2, updatedReplicas: 2, currentRevision: 'rev2' });
  expect(statefulSetStatus(input(set, []), 0)).toEqual({ observedGeneration: 1, replicas: 0, availableReplicas: 0, currentRevision: 'rev1', updateRevision: 'rev1', collisionCount: 0 });
});

describe('revision history', () => {
  const rev = (name: string, revision: number): ControllerRevision => ({ metadata: { name }, revision, data: {} });
  test('the patch replaces the template and gives it back', () => {
    const t = sts(1).spec!.template;
    const data = templatePatch(t);
    expect(data.spec.template.$patch).toBe('replace');
    expect(templateOf({ revision: 1, data: data as ControllerRevision['data'] })).toEqual(t);
  });
  test('numbers and trimming keep what pods still use', () => {
    const sorted = sortRevisions([rev('c', 3), rev('a', 1), rev('b', 2), rev('d', 4)]);
    expect(sorted.map((r) => r.metadata?.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(nextRevision(sorted)).toBe(5);
    expect(nextRevision([])).toBe(1);
    expect(revisionsToTrim(sorted, new Set(['a', 'd']), 1).map((r) => r.metadata?.name)).toEqual(['b']);
    expect(revisionsToTrim(sorted, new Set(['d']), 0).map((r) => r.metadata?.name)).toEqual(['a', 'b', 'c']);
  });
});
