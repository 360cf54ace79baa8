// RequestInfo parsing: verbs, namespaces, names and subresources as upstream's resolver reports them.
import { parseRequestInfo } from '../../src/api/request-info';

const parse = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return parseRequestInfo(method, u.pathname, u.searchParams);
};

describe('parseRequestInfo', () => {
  it('lists, watches and gets namespaced resources', () => {
    expect(parse('GET', '/api/v1/namespaces/default/pods')).toMatchObject({ verb: 'list', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', name: '' });
    expect(parse('GET', '/api/v1/namespaces/default/pods?watch=true')).toMatchObject({ verb: 'watch', resource: 'pods' });
    expect(parse('GET', '/api/v1/watch/namespaces/default/pods')).toMatchObject({ verb: 'watch', namespace: 'default', resource: 'pods' });
    expect(parse('GET', '/apis/apps/v1/namespaces/ns1/deployments/web/scale')).toMatchObject({ verb: 'get', apiGroup: 'apps', resource: 'deployments', name: 'web', subresource: 'scale', namespace: 'ns1' });
  });

  it('treats /namespaces/{name} as the namespace resource itself', () => {
    expect(parse('DELETE', '/api/v1/namespaces/t1')).toMatchObject({ verb: 'delete', resource: 'namespaces', name: 't1', namespace: '' });
    expect(parse('PUT', '/api/v1/namespaces/t1/finalize')).toMatchObject({ verb: 'update', resource: 'namespaces', name: 't1', subresource: 'finalize' });
  });

  it('maps methods to verbs and collection deletes', () => {
    expect(parse('POST', '/api/v1/namespaces/a/pods').verb).toBe('create');
    expect(parse('PATCH', '/api/v1/namespaces/a/pods/p').verb).toBe('patch');
    expect(parse('DELETE', '/api/v1/namespaces/a/pods').verb).toBe('deletecollection');
    expect(parse('GET', '/api/v1/pods')).toMatchObject({ verb: 'list', resource: 'pods', namespace: '' });
  });

  it('marks non-resource paths', () => {
    expect(parse('GET', '/apis/apps/v1').isResourceRequest).toBe(false);
    expect(parse('GET', '/healthz').isResourceRequest).toBe(false);
  });
});
