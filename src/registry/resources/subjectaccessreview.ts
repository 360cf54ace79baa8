// authorization.k8s.io/v1 SubjectAccessReview: "can this user ...?", asked on someone's behalf.
import type { SubjectAccessReview, SubjectAccessReviewSpec } from 'kubernetes-types/authorization/v1';
import { defineResource } from '../resource-table';
import type { KubeObject, RequestUser, ResourceDef } from '../resource-types';
import { validateEmptyMetadata, validateSubjectAccessReviewSpec } from '../validation/authorization';
import { answerAccess } from './access-review';

export function subjectOf(spec: SubjectAccessReviewSpec): RequestUser {
  const user: RequestUser = { username: spec.user ?? '', groups: [...(spec.groups ?? [])] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = spec.extra;
  return user;
}

export function subjectAccessReviewResource(): ResourceDef {
  return defineResource({
    group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview', plural: 'subjectaccessreviews',
    namespaced: false, verbs: ['create'], openapiName: 'io.k8s.api.authorization.v1.SubjectAccessReview',
    strategy: {
      validate: (o: KubeObject) => [
        ...validateSubjectAccessReviewSpec((o as unknown as SubjectAccessReview).spec),
        ...validateEmptyMetadata(o.metadata, false),
      ],
      answerCreate: (o, requester) => {
        const spec = (o as unknown as SubjectAccessReview).spec;
        return answerAccess(o, requester, subjectOf(spec), spec);
      },
    },
  });
}
