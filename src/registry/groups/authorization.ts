// authorization.k8s.io/v1 resources: create-only access reviews answered by the authorizer in place.
import type { ResourceDef } from '../resource-types';
import { localSubjectAccessReviewResource } from '../resources/localsubjectaccessreview';
import { selfSubjectAccessReviewResource } from '../resources/selfsubjectaccessreview';
import { selfSubjectRulesReviewResource } from '../resources/selfsubjectrulesreview';
import { subjectAccessReviewResource } from '../resources/subjectaccessreview';

export function authorizationResources(): ResourceDef[] {
  return [localSubjectAccessReviewResource(), selfSubjectAccessReviewResource(), selfSubjectRulesReviewResource(), subjectAccessReviewResource()];
}
