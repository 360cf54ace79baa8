// authorization.k8s.io/v1 review validation: exactly one of resource/non-resource attributes, a
// subject for SubjectAccessReviews, and metadata that must be empty (reviews are never stored).
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { ResourceAttributes, NonResourceAttributes } from 'kubernetes-types/authorization/v1';
import { FieldError, FieldPath, invalidValue } from '../field-error';
import { invalidRendered } from './go-format';

interface ReviewSpec { resourceAttributes?: ResourceAttributes; nonResourceAttributes?: NonResourceAttributes; user?: string; groups?: string[] }


export function validateAttributesChoice(spec: ReviewSpec | undefined): FieldError[] {
  const p = FieldPath.root('spec');
  const errs: FieldError[] = [];
  if (spec?.resourceAttributes && spec.nonResourceAttributes) {
    errs.push(invalidRendered(p.child('nonResourceAttributes'), spec.nonResourceAttributes, `&authorization.NonResourceAttributes{Path:${JSON.stringify(spec.nonResourceAttributes.path ?? '')}, Verb:${JSON.stringify(spec.nonResourceAttributes.verb ?? '')}}`, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!spec?.resourceAttributes && !spec?.nonResourceAttributes) {
    // Upstream shows the nil pointer it checked as the quoted string "null".
    errs.push(invalidRendered(p.child('resourceAttributes'), null, '"null"', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  return errs;
}

export function validateSubjectAccessReviewSpec(spec: ReviewSpec | undefined): FieldError[] {
  const errs = validateAttributesChoice(spec);
  if (!spec?.user && (spec?.groups ?? []).length === 0) {
    errs.push(invalidValue(FieldPath.root('spec').child('user'), spec?.user ?? '', 'at least one of user or group must be specified'));
  }
  return errs;
}

/** Reviews carry no metadata but, for namespaced ones, the namespace. */
export function validateEmptyMetadata(meta: ObjectMeta | undefined, allowNamespace: boolean): FieldError[] {
  const m = { ...(meta ?? {}) } as Record<string, unknown>;
  delete m.managedFields;
  if (allowNamespace) delete m.namespace;
  // A client's creationTimestamp: null is the zero value, not content.
  if (m.creationTimestamp === null) delete m.creationTimestamp;
  const keys = Object.keys(m).filter((k) => m[k] !== undefined && m[k] !== '');
  return keys.length ? [invalidValue('metadata', meta, 'must be empty')] : [];
}
