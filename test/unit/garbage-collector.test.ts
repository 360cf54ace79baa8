// The garbage collector's pure parts: the owner graph's bookkeeping and the per-dependent decision.
import { decide } from '../../src/controllers/garbage-collector/gc-decision';
import { nodeOf, OwnerGraph } from '../../src/controllers/garbage-collector/owner-graph';
import { resources } from '../../src/client/resource-ref';

const ref = (uid: string, block = false) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `n-${uid}`, uid, ...(block ? { blockOwnerDeletion: true } : {}) });
const cm = (uid: string, owners: ReturnType<typeof ref>[] = [], extra: { finalizers?: string[]; deletionTimestamp?: string } = {}) =>
  nodeOf(resources.configmaps, { metadata: { uid, name: `n-${uid}`, namespace: 'x', ownerReferences: owners, ...extra } })!;

test('graph: dependents follow owner references through updates and removals', () => {
  const g = new OwnerGraph();
  g.upsert(cm('a', [ref('o1', true), ref('o2')]));
  g.upsert(cm('b', [ref('o1')]));
  expect(g.dependents('o1').map((n) => n.uid).sort()).toEqual(['a', 'b']);
  expect(g.blockingDependents('o1').map((n) => n.uid)).toEqual(['a']);
  g.upsert(cm('a', [ref('o2')]));
  expect(g.dependents('o1').map((n) => n.uid)).toEqual(['b']);
  expect(g.blockingDependents('o1')).toEqual([]);
  g.remove('b');
  expect(g.dependents('o1')).toEqual([]);
  expect(g.dependents('o2').map((n) => n.uid)).toEqual(['a']);
});

test('decision: solid owners keep the object and drop references to gone or going owners', () => {
  expect(decide([{ ref: ref('1'), state: 'solid' }], false, [])).toEqual({ action: 'keep' });
  expect(decide([{ ref: ref('1'), state: 'solid' }, { ref: ref('2'), state: 'dangling' }, { ref: ref('3'), state: 'waiting' }], false, []))
    .toEqual({ action: 'removeOwnerReferences', uids: ['2', '3'] });
});

test('decision: without a solid owner the object is deleted with the right propagation', () => {
  expect(decide([{ ref: ref('1'), state: 'dangling' }], true, [])).toEqual({ action: 'delete', propagationPolicy: 'Background' });
  expect(decide([{ ref: ref('1'), state: 'waiting' }], true, [])).toEqual({ action: 'delete', propagationPolicy: 'Foreground' });
  expect(decide([{ ref: ref('1'), state: 'waiting' }], false, [])).toEqual({ action: 'delete', propagationPolicy: 'Background' });
  expect(decide([{ ref: ref('1'), state: 'dangling' }], true, ['orphan'])).toEqual({ action: 'delete', propagationPolicy: 'Orphan' });
  expect(decide([{ ref: ref('1'), state: 'dangling' }], false, ['foregroundDeletion'])).toEqual({ action: 'delete', propagationPolicy: 'Foreground' });
  expect(decide([], false, [])).toEqual({ action: 'keep' });
});
