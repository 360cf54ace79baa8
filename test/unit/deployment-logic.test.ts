// The Deployment controller's pure parts: surge/unavailable arithmetic, rolling steps, proportional
// scaling, the pod-template-hash, revision annotations, history cleanup and the Progressing condition.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import { calculateStatus, rolloutStatus } from '../../src/controllers/deployment/deployment-status';
import { fnv32a, podTemplateHash, safeEncode } from '../../src/controllers/deployment/pod-template-hash';
import { equalIgnoreHash, replicaSetsToCleanUp, setNewReplicaSetAnnotations } from '../../src/controllers/deployment/revisions';
import {
  maxSurge, maxUnavailable, newRSNewReplicas, planOldScaleDown, planProportionalScale, resolveFenceposts, scaledValue,
} from '../../src/controllers/deployment/rollout-arithmetic';

const now = Date.parse('2026-01-01T12:00:00Z');

function deploy(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    metadata: { name: 'web', generation: 2, annotations: { team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: {
      replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } }, progressDeadlineSeconds: 600, ...extra,
    },
    status: { observedGeneration: 2 },
  };
}

function rs(name: string, replicas: number, available = replicas, createdMinAgo = 10, annotations: Record<string, string> = {}): ReplicaSet {
  return {
    metadata: { name, creationTimestamp: new Date(now - createdMinAgo * 60_000).toISOString(), annotations, generation: 1 },
    spec: { replicas, selector: {} },
    status: { replicas, availableReplicas: available, readyReplicas: available, observedGeneration: 1 },
  };
}

describe('maxSurge / maxUnavailable', () => {
  it('rounds surge up and unavailable down', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(4, 10, false)).toBe(4);
    expect(() => scaledValue('25', 10, true)).toThrow("must be an integer or percentage (e.g '5%')");
  });

  it('makes 0/0 into 0 surge and 1 unavailable; caps unavailable at replicas; none for Recreate', () => {
    expect(resolveFenceposts(0, 0, 5)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts('10%', '10%', 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(maxUnavailable(deploy(2, 0, 5))).toBe(2);
    expect(maxSurge(deploy(4))).toBe(1);
    expect(maxUnavailable(deploy(4))).toBe(1);
    const recreate = deploy(4);
    recreate.spec!.strategy = { type: 'Recreate' };
    expect([maxSurge(recreate), maxUnavailable(recreate)]).toEqual([0, 0]);
    expect(maxUnavailable(deploy(0))).toBe(0);
  });
});

describe('rolling steps', () => {
  it('grows the new set up to replicas + maxSurge, counting pods an old set still has', () => {
    const d = deploy(4, 1, 1);
    const old = rs('old', 4);
    const fresh = rs('new', 0);
    expect(newRSNewReplicas(d, [old, fresh], fresh)).toBe(1);
    // Old set scaled to 3 in spec but still reporting 4 pods: nothing more may start yet.
    const shrinking = { ...rs('old', 3), status: { replicas: 4, availableReplicas: 4 } };
    expect(newRSNewReplicas(d, [shrinking, rs('new', 1, 0)], rs('new', 1, 0))).toBe(1);
    expect(newRSNewReplicas(d, [rs('old', 3), rs('new', 1, 0)], rs('new', 1, 0))).toBe(2);
  });

  it('scales old sets down only as far as minAvailable allows, unhealthy ones and the oldest first', () => {
    const d = deploy(4, 1, 1);
    // 4 old available + 1 new unavailable: 5 pods, minAvailable 3 → one old pod may go.
    expect([...planOldScaleDown(d, [rs('old', 4)], rs('new', 1, 0))]).toEqual([['old', 3]]);
    // New pod available: two more may go.
    expect([...planOldScaleDown(d, [rs('old', 3)], rs('new', 2, 1))]).toEqual([['old', 2]]);
    // An old set with unavailable pods loses those first; older set before younger.
    const plan = planOldScaleDown(deploy(4, 1, 2), [rs('young', 2, 2, 5), rs('sick', 2, 0, 20)], rs('new', 1, 1));
    // Budget 3 (5 pods, minAvailable 2): the 2 unavailable pods of sick, then 1 available pod of young.
    expect(plan.get('sick')).toBe(0);
    expect(plan.get('young')).toBe(1);
    // Nothing may go while the budget is used up.
    expect(planOldScaleDown(d, [rs('old', 3)], rs('new', 2, 0)).size).toBe(0);
  });

  it('scales a resized rollout in proportion to each set, leftovers to the largest', () => {
    // 10 replicas (surge 3) mid-rollout: old 8 + new 5 = 13; scaled to 20 (surge 5): 25 allowed, +12.
    const d = deploy(20, '25%', '25%');
    const ann = { 'deployment.kubernetes.io/max-replicas': '13' };
    const plan = planProportionalScale(d, [rs('old', 8, 8, 20, ann), rs('new', 5, 0, 1, ann)]);
    expect(plan.get('old')! + plan.get('new')!).toBe(25);
    expect(plan.get('old')).toBe(15);
    expect(plan.get('new')).toBe(10);
    const down = planProportionalScale(deploy(0), [rs('old', 8, 8, 20, ann), rs('new', 5, 0, 1, ann)]);
    expect([down.get('old'), down.get('new')]).toEqual([0, 0]);
  });
});

describe('pod-template-hash', () => {
  it('is FNV-32a (test vectors) encoded in the safe alphabet, stable, and changed by the collision count', () => {
    expect(fnv32a(Buffer.from(''))).toBe(0x811c9dc5);
    expect(fnv32a(Buffer.from('a'))).toBe(0xe40c292c);
    // Digits map to their char code mod 27: upstream's hashes are made of 4-9, b, c, d, f only.
    expect(safeEncode('0123456789')).toBe('456789bcdf');
    const t = deploy(1).spec!.template;
    const h = podTemplateHash(t);
    expect(h).toMatch(/^[456789bcdf]{6,10}$/);
    expect(podTemplateHash(structuredClone(t))).toBe(h);
    // Key order does not matter; content and the collision count do.
    expect(podTemplateHash({ spec: t.spec, metadata: t.metadata })).toBe(h);
    expect(podTemplateHash(t, 1)).not.toBe(h);
    expect(podTemplateHash({ ...t, spec: { containers: [{ name: 'c', image: 'y' }] } })).not.toBe(h);
  });

  it('compares templates ignoring only the hash label', () => {
    const t = deploy(1).spec!.template;
    const labelled = { ...t, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } };
    expect(equalIgnoreHash(t, labelled)).toBe(true);
    expect(equalIgnoreHash(t, { ...labelled, metadata: { labels: { app: 'other', 'pod-template-hash': 'abc' } } })).toBe(false);
  });
});

describe('revisions', () => {
  it('numbers a new set, copies the deployment annotations (not kubectl or deployment ones), and sets replica annotations', () => {
    const set = rs('new', 0);
    expect(setNewReplicaSetAnnotations(deploy(4, 1, 1), set, 3, false, 4, 5)).toBe(true);
    expect(set.metadata!.annotations).toEqual({
      team: 'a', 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5',
    });
  });

  it('keeps the old revision in revision-history when an old set comes back', () => {
    const back = rs('old', 0, 0, 30, { 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/revision-history': '1' });
    setNewReplicaSetAnnotations(deploy(1), back, 5, true, 1, 2);
    expect(back.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('5');
    expect(back.metadata!.annotations!['deployment.kubernetes.io/revision-history']).toBe('1,2');
    expect(setNewReplicaSetAnnotations(deploy(1), back, 5, true, 1, 2)).toBe(false);
  });

  it('cleans up the lowest revisions beyond revisionHistoryLimit, only when empty and settled', () => {
    const r = (name: string, rev: string, replicas = 0) => rs(name, replicas, replicas, 10, { 'deployment.kubernetes.io/revision': rev });
    const d = deploy(1, 1, 1, { revisionHistoryLimit: 1 });
    expect(replicaSetsToCleanUp(d, [r('c', '3'), r('a', '1'), r('b', '2')]).map((x) => x.metadata!.name)).toEqual(['a', 'b']);
    expect(replicaSetsToCleanUp(d, [r('a', '1', 1), r('b', '2')]).map((x) => x.metadata!.name)).toEqual([]);
  });
});

describe('status and conditions', () => {
  it('counts replicas from the sets and sets Available against replicas - maxUnavailable', () => {
    const d = deploy(4, 1, 1);
    const s = calculateStatus(d, [rs('old', 1, 1), rs('new', 4, 2)], rs('new', 4, 2), now);
    expect(s).toMatchObject({ replicas: 5, updatedReplicas: 4, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 2, observedGeneration: 2 });
    expect(s.conditions).toEqual([expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' })]);
    const low = calculateStatus(d, [rs('new', 4, 2)], rs('new', 4, 2), now);
    expect(low.conditions).toEqual([expect.objectContaining({ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' })]);
  });

  it('Progressing: ReplicaSetUpdated while moving, NewReplicaSetAvailable when done, ProgressDeadlineExceeded when stuck', () => {
    const d = deploy(2, 1, 0, { progressDeadlineSeconds: 60 });
    const moving = rolloutStatus(d, [rs('old', 2), rs('new', 1, 0)], rs('new', 1, 0), now);
    expect(moving.status.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "new" is progressing.' }));
    expect(moving.requeueAfterMs).toBeGreaterThan(59_000);

    const stuck = { ...d, status: moving.status };
    const later = rolloutStatus(stuck, [rs('old', 2), rs('new', 1, 0)], rs('new', 1, 0), now + 61_000);
    expect(later.status.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "new" has timed out progressing.' }));

    const done = rolloutStatus(stuck, [rs('old', 0), rs('new', 2, 2)], rs('new', 2, 2), now + 1000);
    expect(done.status.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "new" has successfully progressed.' }));
    expect(done.requeueAfterMs).toBeUndefined();
  });
});
