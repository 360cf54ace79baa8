// Authorization stage of the request pipeline. Until RBAC is enforced, every authenticated user is
// allowed, as the issue allows; the interface is what an RBAC authorizer will implement.
import type { UserRules } from '../registry/resource-types';
import type { UserInfo } from './authn';
import type { RequestInfo } from './request-info';

export interface Decision { allowed: boolean; reason: string }

export interface Authorizer {
  authorize(user: UserInfo, info: RequestInfo): Decision;
  /** Everything `user` may do in `namespace`, for SelfSubjectRulesReview. */
  rulesFor(user: UserInfo, namespace: string): UserRules;
}

const nothing: UserRules = { resourceRules: [], nonResourceRules: [], incomplete: false };

export const allowAuthenticated: Authorizer = {
  authorize: (user) => ({ allowed: user.groups.includes('system:authenticated'), reason: '' }),
  rulesFor: (user) => (user.groups.includes('system:authenticated')
    ? { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false }
    : nothing),
};
