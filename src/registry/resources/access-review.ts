// What the three SubjectAccessReview kinds share: turning a review's attributes into an access
// question and the authorizer's decision into the review's status.
import type { NonResourceAttributes, ResourceAttributes, SubjectAccessReviewStatus } from 'kubernetes-types/authorization/v1';
import type { AccessQuery, KubeObject, RequestUser, Requester } from '../resource-types';

interface Attributes { resourceAttributes?: ResourceAttributes; nonResourceAttributes?: NonResourceAttributes }

export function accessQuery(user: RequestUser, spec: Attributes): AccessQuery {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user, verb: r.verb ?? '',
      resource: { group: r.group ?? '', version: r.version ?? '', resource: r.resource ?? '', subresource: r.subresource ?? '', namespace: r.namespace ?? '', name: r.name ?? '' },
    };
  }
  return { user, verb: spec.nonResourceAttributes?.verb ?? '', path: spec.nonResourceAttributes?.path ?? '' };
}

/** The review with its status answered, as upstream returns it (creationTimestamp null: never stored). */
export function answerAccess(obj: KubeObject, requester: Requester, user: RequestUser, spec: Attributes): KubeObject {
  const d = requester.authorize(accessQuery(user, spec));
  const status: SubjectAccessReviewStatus = d.reason ? { allowed: d.allowed, reason: d.reason } : { allowed: d.allowed };
  return { ...obj, metadata: { ...obj.metadata, creationTimestamp: null as unknown as undefined }, status };
}
