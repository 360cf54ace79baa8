// PATCH application: strategic merge semantics, RFC 7386 merge patch and RFC 6902 JSON patch.
import { StatusError } from '../../src/registry/errors';
import { applyPatch } from '../../src/registry/patch';
import type { KubeObject } from '../../src/registry/resource-types';
import { schemaSource } from './definitions-fixture';

const SMP = 'application/strategic-merge-patch+json';
const POD = 'io.k8s.api.core.v1.Pod';

function pod(): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', finalizers: ['a', 'b'], labels: { keep: '1', drop: '2' } },
    spec: {
      containers: [
        { name: 'one', image: 'img:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
        { name: 'two', image: 'img:2', args: ['x', 'y'] },
      ],
      volumes: [{ name: 'v', emptyDir: {} }],
    },
  };
}

function statusOf(fn: () => unknown): StatusError {
  try { fn(); } catch (e) { if (e instanceof StatusError) return e; throw e; }
  throw new Error('expected a StatusError');
}

describe('strategic merge patch', () => {
  const src = schemaSource();
  const smp = (orig: KubeObject, p: unknown) => applyPatch(SMP, orig, p, POD, src);

  it('merges containers by name and replaces lists without a strategy', () => {
    const orig = pod();
    const out = smp(orig, { spec: { containers: [{ name: 'two', image: 'img:3', args: ['z'] }, { name: 'three', image: 'n' }] } });
    const containers = (out.spec as { containers: Record<string, unknown>[] }).containers;
    expect(containers.map((c) => c.name)).toEqual(['one', 'two', 'three']);
    expect(containers[1]).toEqual({ name: 'two', image: 'img:3', args: ['z'] });
    expect(containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect((orig.spec as { containers: unknown[] }).containers).toHaveLength(2);
  });

  it('merges nested keyed lists and deletes map keys with null', () => {
    const out = smp(pod(), {
      metadata: { labels: { drop: null, add: '3' } },
      spec: { containers: [{ name: 'one', env: [{ name: 'B', value: '22' }] }] },
    });
    expect(out.metadata?.labels).toEqual({ keep: '1', add: '3' });
    const one = (out.spec as { containers: Record<string, unknown>[] }).containers[0];
    expect(one.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '22' }]);
  });

  it('honours $patch: delete and $patch: replace on list elements', () => {
    const del = smp(pod(), { spec: { containers: [{ name: 'one', $patch: 'delete' }] } });
    expect((del.spec as { containers: { name: string }[] }).containers.map((c) => c.name)).toEqual(['two']);
    const rep = smp(pod(), { spec: { containers: [{ name: 'solo', image: 's' }, { $patch: 'replace' }] } });
    expect((rep.spec as { containers: unknown[] }).containers).toEqual([{ name: 'solo', image: 's' }]);
  });

  it('honours $patch: replace on a map', () => {
    const out = smp(pod(), { metadata: { labels: { $patch: 'replace', only: 'x' } } });
    expect(out.metadata?.labels).toEqual({ only: 'x' });
  });

  it('unions finalizers and deletes from primitive lists', () => {
    const out = smp(pod(), { metadata: { finalizers: ['b', 'c'] } });
    expect(out.metadata?.finalizers).toEqual(['a', 'b', 'c']);
    const del = smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
    expect(del.metadata?.finalizers).toEqual(['b']);
  });

  it('orders lists by $setElementOrder', () => {
    const out = smp(pod(), { spec: {
      '$setElementOrder/containers': [{ name: 'two' }, { name: 'new' }, { name: 'one' }],
      containers: [{ name: 'new', image: 'n' }],
    } });
    expect((out.spec as { containers: { name: string }[] }).containers.map((c) => c.name)).toEqual(['two', 'new', 'one']);
    const fin = smp(pod(), { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } });
    expect(fin.metadata?.finalizers).toEqual(['b', 'a']);
  });

  it('applies $retainKeys to volume sources', () => {
    const out = smp(pod(), { spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] } });
    expect((out.spec as { volumes: unknown[] }).volumes).toEqual([{ name: 'v', hostPath: { path: '/x' } }]);
    const bad = statusOf(() => smp(pod(), { spec: { volumes: [{ name: 'v', $retainKeys: ['name'], hostPath: { path: '/x' } }] } }));
    expect(bad.code).toBe(422);
  });

  it('refuses strategic merge without a definition', () => {
    expect(statusOf(() => applyPatch(SMP, pod(), {}, undefined, src)).code).toBe(415);
  });

  it('rejects a non-object body', () => {
    expect(statusOf(() => smp(pod(), '[1]')).code).toBe(400);
  });
});

describe('merge patch', () => {
  it('follows RFC 7386: null deletes, objects merge, lists replace', () => {
    const out = applyPatch('application/merge-patch+json', pod(), JSON.stringify({
      metadata: { labels: { drop: null } },
      spec: { containers: [{ name: 'x' }], volumes: null },
    }), POD, schemaSource());
    expect(out.metadata?.labels).toEqual({ keep: '1' });
    expect(out.spec).toEqual({ containers: [{ name: 'x' }] });
  });
});

describe('json patch', () => {
  const jp = (ops: unknown) => applyPatch('application/json-patch+json', pod(), ops, POD, schemaSource());

  it('applies operations', () => {
    const out = jp([{ op: 'replace', path: '/spec/containers/0/image', value: 'new' },
      { op: 'add', path: '/metadata/labels/x', value: 'y' }, { op: 'remove', path: '/metadata/finalizers' }]);
    expect((out.spec as { containers: { image: string }[] }).containers[0].image).toBe('new');
    expect(out.metadata?.labels).toEqual({ keep: '1', drop: '2', x: 'y' });
    expect(out.metadata?.finalizers).toBeUndefined();
  });

  it('fails a test op with 422 and a non-array with 400', () => {
    const failed = statusOf(() => jp([{ op: 'test', path: '/metadata/name', value: 'other' }]));
    expect(failed.code).toBe(422);
    expect(failed.status.reason).toBe('Invalid');
    expect(statusOf(() => jp({ op: 'add' })).code).toBe(400);
  });
});
