// authorization.k8s.io/v1 SelfSubjectRulesReview: what the requester may do in a namespace
// (`kubectl auth can-i --list`).
import type { SelfSubjectRulesReview } from 'kubernetes-types/authorization/v1';
import { FieldPath, required } from '../field-error';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateEmptyMetadata } from '../validation/authorization';

export function selfSubjectRulesReviewResource(): ResourceDef {
  return defineResource({
    group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews',
    namespaced: false, verbs: ['create'], openapiName: 'io.k8s.api.authorization.v1.SelfSubjectRulesReview',
    strategy: {
      validate: (o: KubeObject) => {
        const errs = validateEmptyMetadata(o.metadata, false);
        if (!(o as unknown as SelfSubjectRulesReview).spec?.namespace) errs.push(required(FieldPath.root('spec').child('namespace')));
        return errs;
      },
      answerCreate: (o, requester) => {
        const ns = (o as unknown as SelfSubjectRulesReview).spec?.namespace ?? '';
        return { ...o, metadata: { ...o.metadata, creationTimestamp: null as unknown as undefined }, status: requester.rulesFor(requester.user, ns) };
      },
    },
  });
}
