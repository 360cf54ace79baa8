// Authorization stage of the request pipeline. Until RBAC is enforced, every authenticated user is
// allowed, as the issue allows; the interface is what an RBAC authorizer will implement.
import type { UserInfo } from './authn';
import type { RequestInfo } from './request-info';

export interface Decision { allowed: boolean; reason: string }

export interface Authorizer {
  authorize(user: UserInfo, info: RequestInfo): Decision;
}

export const allowAuthenticated: Authorizer = {
  authorize: (user) => ({ allowed: user.groups.includes('system:authenticated'), reason: '' }),
};
