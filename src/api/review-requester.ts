// The Requester that create-only reviews are answered with: the request's authenticated user, the
// authorizer asked with a RequestInfo built from the review's attributes, and token authentication.
import type { AccessQuery, Requester } from '../registry/resource-types';
import type { Authenticator, UserInfo } from './authn';
import type { Authorizer } from './authz';
import type { RequestInfo } from './request-info';

export function requestInfoFor(q: AccessQuery): RequestInfo {
  const r = q.resource;
  if (!r) {
    const path = q.path ?? '';
    return { isResourceRequest: false, path, verb: q.verb, apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] };
  }
  return {
    isResourceRequest: true, path: '', verb: q.verb, apiPrefix: r.group ? 'apis' : 'api', apiGroup: r.group, apiVersion: r.version,
    namespace: r.namespace, resource: r.resource, subresource: r.subresource, name: r.name, parts: [],
  };
}

export function reviewRequester(authn: Authenticator, authz: Authorizer, user: UserInfo): Requester {
  return {
    user,
    authorize: (q) => authz.authorize(q.user, requestInfoFor(q)),
    rulesFor: (u, ns) => authz.rulesFor(u, ns),
    authenticateToken: (t, audiences) => authn.authenticateToken(t, audiences),
  };
}
