// The ReplicaSet controller's pure parts: expectations, slow-start batches, deletion ranking, status and claims.
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { claim } from '../../src/controllers/controller-ref';
import { Expectations, expectationsTimeoutMs } from '../../src/controllers/expectations';
import { compareForDeletion, podsToDelete } from '../../src/controllers/replicaset/pod-ranking';
import { replicaSetStatus, statusNeedsUpdate } from '../../src/controllers/replicaset/replica-set-status';
import { slowStartBatch } from '../../src/controllers/slow-start';
import { fromLabelSelector } from '../../src/registry/label-selector';

const now = Date.parse('2026-01-01T12:00:00Z');
const iso = (msAgo: number): string => new Date(now - msAgo).toISOString();

function pod(name: string, o: { node?: string; phase?: string; readyMsAgo?: number; createdMsAgo?: number; restarts?: number; cost?: string; uid?: string; labels?: Record<string, string> } = {}): Pod {
  return {
    metadata: {
      name, namespace: 'ns', uid: o.uid ?? name, creationTimestamp: iso(o.createdMsAgo ?? 60_000), labels: o.labels,
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
    },
    spec: { nodeName: o.node, containers: [{ name: 'c' }] },
    status: {
      phase: o.phase ?? 'Pending',
      conditions: o.readyMsAgo !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readyMsAgo) }] : [],
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: o.readyMsAgo !== undefined, restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('Expectations', () => {
  it('is satisfied with nothing recorded, and again once every create is observed', () => {
    const e = new Expectations(() => now);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('counts each expected deletion once, ignores pods it did not delete', () => {
    const e = new Expectations(() => now);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/other');
    expect(e.pending('ns/rs')).toEqual({ add: 0, del: 1 });
    e.deletionObserved('ns/rs', 'ns/b');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('gives up waiting after five minutes, and forgets a deleted owner', () => {
    let t = now;
    const e = new Expectations(() => t);
    e.expectCreations('ns/rs', 3);
    t += expectationsTimeoutMs;
    expect(e.satisfied('ns/rs')).toBe(false);
    t += 1;
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/x', 1);
    e.forget('ns/x');
    expect(e.satisfied('ns/x')).toBe(true);
  });

  it('lowers expected creations by the ones that failed or were skipped', () => {
    const e = new Expectations(() => now);
    e.expectCreations('k', 7);
    e.creationsSkipped('k', 4);
    e.creationObserved('k'); e.creationObserved('k'); e.creationObserved('k');
    expect(e.satisfied('k')).toBe(true);
  });
});

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, ... and stops after the first batch with a failure', async () => {
    let calls = 0;
    const res = await slowStartBatch(20, 1, async () => { calls++; if (calls === 5) throw new Error('quota'); });
    // Batches 1, 2 succeed; batch of 4 (calls 4-7) has one failure: stop there.
    expect(calls).toBe(7);
    expect(res.succeeded).toBe(6);
    expect(String(res.error)).toContain('quota');
  });

  it('does exactly count calls when all succeed', async () => {
    let calls = 0;
    expect(await slowStartBatch(10, 1, async () => { calls++; })).toEqual({ succeeded: 10 });
    expect(calls).toBe(10);
  });
});

describe('deletion ranking', () => {
  const order = (pods: Pod[], ranks?: number[]): string[] =>
    pods.map((p, i) => ({ pod: p, rank: ranks?.[i] ?? 0 })).sort((a, b) => compareForDeletion(a, b, now)).map((r) => r.pod.metadata!.name!);

  it('unassigned before assigned; Pending < Unknown < Running; not ready before ready', () => {
    expect(order([pod('assigned', { node: 'n1' }), pod('unassigned')])).toEqual(['unassigned', 'assigned']);
    expect(order([pod('run', { node: 'n', phase: 'Running' }), pod('unk', { node: 'n', phase: 'Unknown' }), pod('pend', { node: 'n', phase: 'Pending' })]))
      .toEqual(['pend', 'unk', 'run']);
    expect(order([pod('ready', { node: 'n', phase: 'Running', readyMsAgo: 1000 }), pod('notready', { node: 'n', phase: 'Running' })]))
      .toEqual(['notready', 'ready']);
  });

  it('lower pod-deletion-cost first, then more pods on the same node first', () => {
    expect(order([pod('dear', { cost: '100' }), pod('cheap', { cost: '-5' }), pod('none')])).toEqual(['cheap', 'none', 'dear']);
    expect(order([pod('alone', { node: 'a' }), pod('crowded', { node: 'b' })], [1, 3])).toEqual(['crowded', 'alone']);
  });

  it('ready for less time first, compared in powers of two; more restarts first; newer first', () => {
    const r = (name: string, readyMsAgo: number) => pod(name, { node: 'n', phase: 'Running', readyMsAgo });
    expect(order([r('old', 3_600_000), r('young', 10_000)])).toEqual(['young', 'old']);
    // 10.0 s and 10.5 s fall in the same power-of-two bucket: the uid decides.
    expect(order([r('b', 10_500), r('a', 10_000)])).toEqual(['a', 'b']);
    expect(order([pod('calm', { restarts: 0 }), pod('crashy', { restarts: 4 })])).toEqual(['crashy', 'calm']);
    expect(order([pod('elder', { createdMsAgo: 7_200_000 }), pod('newborn', { createdMsAgo: 5_000 })])).toEqual(['newborn', 'elder']);
  });

  it('podsToDelete ranks by siblings on the same node and takes the first n', () => {
    const a = pod('a', { node: 'n1', phase: 'Running', readyMsAgo: 50_000 });
    const b = pod('b', { node: 'n2', phase: 'Running', readyMsAgo: 50_000 });
    const sibling = pod('s', { node: 'n2', phase: 'Running', readyMsAgo: 50_000 });
    expect(podsToDelete([a, b], [a, b, sibling], 1, now).map((p) => p.metadata!.name)).toEqual(['b']);
    expect(podsToDelete([a, b], [a, b], 2, now)).toHaveLength(2);
  });
});

describe('status and claims', () => {
  const rs: ReplicaSet = {
    metadata: { name: 'rs', uid: 'u1', generation: 4 },
    spec: { replicas: 3, minReadySeconds: 30, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a', v: '1' } } } },
    status: { replicas: 0 },
  };

  it('counts fully labeled, ready, and available (ready for minReadySeconds) pods', () => {
    const s = replicaSetStatus(rs, [
      pod('p1', { phase: 'Running', readyMsAgo: 60_000, labels: { app: 'a', v: '1' } }),
      pod('p2', { phase: 'Running', readyMsAgo: 5_000, labels: { app: 'a', v: '1' } }),
      pod('p3', { labels: { app: 'a' } }),
    ], undefined, now);
    expect(s).toEqual({ replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
    expect(statusNeedsUpdate(rs, s)).toBe(true);
    expect(statusNeedsUpdate({ ...rs, status: s }, s)).toBe(false);
  });

  it('adds ReplicaFailure on a failed create and removes it after a clean sync', () => {
    const failed = replicaSetStatus(rs, [], { reason: 'FailedCreate', message: 'quota exceeded' }, now);
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota exceeded', lastTransitionTime: '2026-01-01T12:00:00Z' }]);
    expect(replicaSetStatus({ ...rs, status: failed }, [], undefined, now).conditions).toBeUndefined();
  });

  it('keeps owned selected pods, adopts selected orphans, releases owned unselected ones, ignores others', () => {
    const owned = (name: string, uid: string, labels: Record<string, string>): Pod => ({
      ...pod(name, { labels }), metadata: { ...pod(name, { labels }).metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid, controller: true }] },
    });
    const sel = fromLabelSelector({ matchLabels: { app: 'a' } })!;
    const c = claim('u1', sel, [owned('mine', 'u1', { app: 'a' }), pod('orphan', { labels: { app: 'a' } }), owned('strayed', 'u1', { app: 'b' }),
      owned('theirs', 'u2', { app: 'a' }), pod('unrelated', { labels: { app: 'b' } })], false);
    expect([c.owned, c.adopt, c.release].map((l) => l.map((p) => p.metadata!.name))).toEqual([['mine'], ['orphan'], ['strayed']]);
    expect(claim('u1', sel, [pod('orphan', { labels: { app: 'a' } })], true).adopt).toEqual([]);
  });
});
