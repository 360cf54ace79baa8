// authorization.k8s.io/v1 SelfSubjectAccessReview: "can I ...?" for the requester (`kubectl auth can-i`).
import type { SelfSubjectAccessReview } from 'kubernetes-types/authorization/v1';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateAttributesChoice, validateEmptyMetadata } from '../validation/authorization';
import { answerAccess } from './access-review';

export function selfSubjectAccessReviewResource(): ResourceDef {
  return defineResource({
    group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews',
    namespaced: false, verbs: ['create'], openapiName: 'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
    strategy: {
      validate: (o: KubeObject) => [
        ...validateAttributesChoice((o as unknown as SelfSubjectAccessReview).spec),
        ...validateEmptyMetadata(o.metadata, false),
      ],
      answerCreate: (o, requester) => answerAccess(o, requester, requester.user, (o as unknown as SelfSubjectAccessReview).spec ?? {}),
    },
  });
}
