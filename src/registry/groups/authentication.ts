// authentication.k8s.io/v1 resources: create-only reviews answered in place.
import type { ResourceDef } from '../resource-types';
import { selfSubjectReviewResource } from '../resources/selfsubjectreview';
import { tokenReviewResource } from '../resources/tokenreview';

export function authenticationResources(): ResourceDef[] {
  return [selfSubjectReviewResource(), tokenReviewResource()];
}
