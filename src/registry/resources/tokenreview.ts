// authentication.k8s.io/v1 TokenReview: authenticates a bearer token on a caller's behalf.
import type { TokenReview } from 'kubernetes-types/authentication/v1';
import { badRequest } from '../errors';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateEmptyMetadata } from '../validation/authorization';

export function tokenReviewResource(): ResourceDef {
  return defineResource({
    group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', plural: 'tokenreviews',
    namespaced: false, verbs: ['create'], openapiName: 'io.k8s.api.authentication.v1.TokenReview',
    strategy: {
      validate: (o: KubeObject) => validateEmptyMetadata(o.metadata, false),
      answerCreate: async (o, requester) => {
        const review = o as unknown as TokenReview;
        const token = review.spec?.token;
        if (!token) throw badRequest('token is required for TokenReview in authentication');
        const r = await requester.authenticateToken(token, review.spec.audiences ?? []);
        const status = r ? { authenticated: true, user: { ...r.user }, audiences: r.audiences } : { user: {} };
        return { ...o, metadata: { ...o.metadata, creationTimestamp: null as unknown as undefined }, status };
      },
    },
  });
}
