// authentication.k8s.io/v1 SelfSubjectReview: who the apiserver thinks the requester is (`kubectl auth whoami`).
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateEmptyMetadata } from '../validation/authorization';

export function selfSubjectReviewResource(): ResourceDef {
  return defineResource({
    group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews',
    namespaced: false, verbs: ['create'], openapiName: 'io.k8s.api.authentication.v1.SelfSubjectReview',
    strategy: {
      validate: (o: KubeObject) => validateEmptyMetadata(o.metadata, false),
      answerCreate: (o, requester) => ({
        ...o, metadata: { ...o.metadata, creationTimestamp: null as unknown as undefined }, status: { userInfo: { ...requester.user } },
      }),
    },
  });
}
