// authorization.k8s.io/v1 LocalSubjectAccessReview: a SubjectAccessReview confined to one namespace.
import type { LocalSubjectAccessReview } from 'kubernetes-types/authorization/v1';
import { badRequest } from '../errors';
import { FieldPath } from '../field-error';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { invalidRendered } from '../validation/go-format';
import { validateEmptyMetadata, validateSubjectAccessReviewSpec } from '../validation/authorization';
import { answerAccess } from './access-review';
import { subjectOf } from './subjectaccessreview';

export function localSubjectAccessReviewResource(): ResourceDef {
  return defineResource({
    group: 'authorization.k8s.io', version: 'v1', kind: 'LocalSubjectAccessReview', plural: 'localsubjectaccessreviews',
    namespaced: true, verbs: ['create'], openapiName: 'io.k8s.api.authorization.v1.LocalSubjectAccessReview',
    strategy: {
      validate: (o: KubeObject) => {
        const spec = (o as unknown as LocalSubjectAccessReview).spec;
        const errs = [...validateSubjectAccessReviewSpec(spec), ...validateEmptyMetadata(o.metadata, true)];
        if (spec?.nonResourceAttributes) {
          errs.push(invalidRendered(FieldPath.root('spec').child('nonResourceAttributes'), spec.nonResourceAttributes,
            `&authorization.NonResourceAttributes{Path:${JSON.stringify(spec.nonResourceAttributes.path ?? '')}, Verb:${JSON.stringify(spec.nonResourceAttributes.verb ?? '')}}`,
            'disallowed on this kind of request'));
        }
        return errs;
      },
      answerCreate: (o, requester) => {
        const spec = (o as unknown as LocalSubjectAccessReview).spec;
        const ns = o.metadata?.namespace ?? '';
        if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== ns) {
          throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${ns}`);
        }
        return answerAccess(o, requester, subjectOf(spec), spec);
      },
    },
  });
}
