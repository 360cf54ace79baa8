// Which volume a claim takes (the binder's smallest fit, pre-binding, classes, access modes, selectors)
// and the scheduler's VolumeBinding filter on hollow nodes with upstream's messages.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { findMatchingVolume } from '../../src/controllers/volume/volume-matching';
import { fitErrorMessage } from '../../src/scheduler/fit-error';
import { defaultFilters } from '../../src/scheduler/plugins/default-plugins';
import { preempt } from '../../src/scheduler/preemption';
import { volumeDecisionsFor, type VolumeListers } from '../../src/scheduler/plugins/volume-binding';
import { SchedulingAlgorithm } from '../../src/scheduler/schedule-pod';
import { cacheOf, node, pod, seeded } from './scheduler-fixtures';

function pv(name: string, size: string, o: Partial<{ cls: string; modes: string[]; phase: string; labels: Record<string, string>; node: string; claim: string }> = {}): PersistentVolume {
  return {
    metadata: { name, labels: o.labels },
    spec: {
      capacity: { storage: size }, accessModes: o.modes ?? ['ReadWriteOnce'], storageClassName: o.cls ?? 'manual', hostPath: { path: `/v/${name}` },
      claimRef: o.claim ? { namespace: 'default', name: o.claim } : undefined,
      nodeAffinity: o.node ? { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.node] }] }] } } : undefined,
    },
    status: { phase: o.phase ?? 'Available' },
  };
}

function pvc(name: string, size: string, o: Partial<{ cls: string; modes: string[]; selector: Record<string, string>; volumeName: string }> = {}): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: o.cls ?? 'manual',
      selector: o.selector ? { matchLabels: o.selector } : undefined, volumeName: o.volumeName,
    },
    status: { phase: o.volumeName ? 'Bound' : 'Pending' },
  };
}

const names = (v: PersistentVolume | undefined) => v?.metadata?.name;

describe('findMatchingVolume (binder: no node)', () => {
  const vols = [pv('v100', '100Mi'), pv('v1g', '1Gi'), pv('v50', '50Mi'), pv('rwx', '60Mi', { modes: ['ReadWriteOnce', 'ReadWriteMany'] })];
  test('the smallest volume that fits', () => expect(names(findMatchingVolume(pvc('c', '60Mi'), vols, undefined, false))).toBe('v100'));
  test('fewer access modes win over a smaller size', () => expect(names(findMatchingVolume(pvc('c', '55Mi'), vols, undefined, false))).toBe('v100'));
  test('every requested mode must be offered', () => expect(names(findMatchingVolume(pvc('c', '10Mi', { modes: ['ReadWriteMany'] }), vols, undefined, false))).toBe('rwx'));
  test('the class must match', () => expect(findMatchingVolume(pvc('c', '10Mi', { cls: 'fast' }), vols, undefined, false)).toBeUndefined());
  test('only Available volumes', () => expect(findMatchingVolume(pvc('c', '10Mi'), [pv('r', '1Gi', { phase: 'Released' })], undefined, false)).toBeUndefined());
  test('the claim selector filters by labels', () => expect(names(findMatchingVolume(pvc('c', '10Mi', { selector: { tier: 'gold' } }),
    [...vols, pv('gold', '5Gi', { labels: { tier: 'gold' } })], undefined, false))).toBe('gold'));
  test('a volume pre-bound to the claim wins over a better fit', () => expect(names(findMatchingVolume(pvc('c', '10Mi'),
    [...vols, pv('pre', '5Gi', { claim: 'c' })], undefined, false))).toBe('pre'));
  test('a volume pre-bound to another claim is never taken', () => expect(findMatchingVolume(pvc('c', '10Mi'),
    [pv('pre', '5Gi', { claim: 'other' })], undefined, false)).toBeUndefined());
  test('delayed binding takes nothing without a node but a pre-bound volume', () => {
    expect(findMatchingVolume(pvc('c', '10Mi'), vols, undefined, true)).toBeUndefined();
    expect(names(findMatchingVolume(pvc('c', '10Mi'), [pv('pre', '5Gi', { claim: 'c' })], undefined, true))).toBe('pre');
  });
  test('with a node, only volumes reachable from it', () => {
    const local = [pv('on-n1', '1Gi', { node: 'n1' }), pv('on-n2', '2Gi', { node: 'n2' })];
    expect(names(findMatchingVolume(pvc('c', '10Mi'), local, node('n2'), true))).toBe('on-n2');
  });
});

describe('VolumeBinding filter', () => {
  const classes: Record<string, StorageClass> = {
    wait: { metadata: { name: 'wait' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
    dyn: { metadata: { name: 'dyn' }, provisioner: 'kubets.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
    now: { metadata: { name: 'now' }, provisioner: 'kubets.io/local-path', volumeBindingMode: 'Immediate' },
  };
  function setup(claims: PersistentVolumeClaim[], volumes: PersistentVolume[]) {
    const listers: VolumeListers = {
      claim: (ns, n) => claims.find((c) => c.metadata?.namespace === ns && c.metadata?.name === n),
      volumes: () => volumes,
      storageClass: (n) => classes[n],
    };
    const cache = cacheOf([node('n1'), node('n2')]);
    cache.volumes = listers;
    return { cache, listers };
  }
  const withClaim = (name: string, claim: string): Pod => {
    const p = pod(name);
    p.spec!.volumes = [{ name: 'd', persistentVolumeClaim: { claimName: claim } }];
    return p;
  };
  const schedule = (cache: ReturnType<typeof setup>['cache'], p: Pod) => new SchedulingAlgorithm({ random: seeded(1) }).schedule(p, cache);
  const message = (r: ReturnType<typeof schedule>, withPreemption = false) => {
    if (r.kind !== 'unfit') return `landed on ${r.node}`;
    const post = withPreemption ? preempt(withClaim('p', 'gone'), cacheOf([node('n1'), node('n2')]), r.statuses, defaultFilters, seeded(1)) : undefined;
    return fitErrorMessage(r.numAllNodes, r.statuses, undefined, post?.kind === 'none' ? `preemption: ${post.message}` : undefined);
  };

  test('a missing claim is unresolvable everywhere', () => {
    const { cache } = setup([], []);
    expect(message(schedule(cache, withClaim('p', 'gone')))).toBe('0/2 nodes are available: persistentvolumeclaim "gone" not found.');
    expect(message(schedule(cache, withClaim('p', 'gone')), true)).toBe('0/2 nodes are available: persistentvolumeclaim "gone" not found. '
      + 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
  });
  test('a bound local volume pins the pod to its node', () => {
    const { cache } = setup([pvc('c', '1Mi', { cls: 'wait', volumeName: 'v' })], [pv('v', '1Gi', { cls: 'wait', node: 'n2', claim: 'c' })]);
    expect(message(schedule(cache, withClaim('p', 'c')))).toBe('landed on n2');
  });
  test('a bound volume reachable from no node', () => {
    const { cache } = setup([pvc('c', '1Mi', { cls: 'wait', volumeName: 'v' })], [pv('v', '1Gi', { cls: 'wait', node: 'elsewhere', claim: 'c' })]);
    expect(message(schedule(cache, withClaim('p', 'c')))).toBe('0/2 nodes are available: 2 node(s) had volume node affinity conflict.');
  });
  test('an unbound Immediate claim waits for the binder', () => {
    const { cache } = setup([pvc('c', '1Mi', { cls: 'now' })], []);
    expect(message(schedule(cache, withClaim('p', 'c')))).toBe('0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.');
  });
  test('a delayed claim with no provisioner needs a free volume on the node', () => {
    const { cache, listers } = setup([pvc('c', '1Mi', { cls: 'wait' })], [pv('v', '1Gi', { cls: 'wait', node: 'n1' })]);
    const p = withClaim('p', 'c');
    expect(message(schedule(cache, p))).toBe('landed on n1');
    expect(volumeDecisionsFor(p, node('n1'), listers).map((d) => names(d.volume))).toEqual(['v']);
  });
  test('no free volume and no provisioner', () => {
    const { cache } = setup([pvc('c', '1Mi', { cls: 'wait' })], []);
    expect(message(schedule(cache, withClaim('p', 'c')))).toMatch(/^0\/2 nodes are available: 2 node\(s\) didn't find available persistent volumes to bind\./);
  });
  test('a provisioner makes any node fit, and the decision is to provision', () => {
    const { listers, cache } = setup([pvc('c', '1Mi', { cls: 'dyn' })], []);
    const p = withClaim('p', 'c');
    expect(schedule(cache, p).kind).toBe('scheduled');
    expect(volumeDecisionsFor(p, node('n2'), listers)).toEqual([{ claim: listers.claim('default', 'c') }]);
  });
});
