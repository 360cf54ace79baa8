// The storage codec: stored JSON leads with apiVersion/kind/metadata and has no resourceVersion, and the
// watch cache's splice yields the same object a decode-and-serialize would.
import { decodeFromStorage, encodeForStorage, withResourceVersion } from '../../src/registry/etcd-codec';

describe('etcd codec', () => {
  it('stores without resourceVersion, metadata third', () => {
    const text = encodeForStorage({ spec: { template: { metadata: { labels: { a: 'b' } } } }, metadata: { name: 'x', resourceVersion: '9' }, kind: 'Pod', apiVersion: 'v1' });
    expect(text.startsWith('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}')).toBe(true);
    expect(text).not.toContain('resourceVersion');
  });

  it('splices the revision into the top-level metadata only', () => {
    const stored = encodeForStorage({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: { labels: {} } } } });
    const spliced = JSON.parse(withResourceVersion(stored, 42));
    expect(spliced).toEqual(decodeFromStorage(stored, 42));
    expect(spliced.metadata.resourceVersion).toBe('42');
    expect(spliced.spec.template.metadata.resourceVersion).toBeUndefined();
  });

  it('serializes an object that already leads with apiVersion, kind and metadata as it is', () => {
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: { a: 'b' } }, spec: { nodeName: 'n' } };
    expect(encodeForStorage(obj)).toBe(JSON.stringify(obj));
    const withRv = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', resourceVersion: '3' }, spec: {} };
    expect(encodeForStorage(withRv)).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{}}');
    expect(encodeForStorage({ apiVersion: 'v1', metadata: { name: 'x' }, kind: 'Pod' })).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}');
  });

  it('handles empty metadata', () => {
    const stored = encodeForStorage({ apiVersion: 'v1', kind: 'Namespace', metadata: {} });
    expect(JSON.parse(withResourceVersion(stored, 7)).metadata).toEqual({ resourceVersion: '7' });
  });
});
