// Validation of a structured metav1.LabelSelector (matchLabels / matchExpressions) as it appears in specs.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, required } from '../field-error';
import { isQualifiedName, isValidLabelValue } from './names';
import { validateLabels } from './object-meta';

/**
 * The value rules of the set-based operators, shared by label and node selectors: In/NotIn need values,
 * Exists/DoesNotExist take none. Undefined for any other operator (the caller knows its own).
 */
export function setOperatorErrors(operator: string, values: string[], p: FieldPath): FieldError[] | undefined {
  switch (operator) {
    case 'In': case 'NotIn':
      return values.length === 0 ? [required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'")] : [];
    case 'Exists': case 'DoesNotExist':
      return values.length > 0 ? [forbiddenField(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")] : [];
    default:
      return undefined;
  }
}

export function validateLabelSelector(sel: LabelSelector | undefined, p: FieldPath): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = [];
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const ep = p.child('matchExpressions').index(i);
    const values = e.values ?? [];
    const setErrs = setOperatorErrors(e.operator, values, ep);
    errs.push(...(setErrs ?? [invalidValue(ep.child('operator'), e.operator, 'not a valid selector operator')]));
    for (const m of isQualifiedName(e.key ?? '')) errs.push(invalidValue(ep.child('key'), e.key, m));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(invalidValue(ep.child('values').index(j), v, m));
    });
  });
  errs.push(...validateLabels(sel.matchLabels, p.child('matchLabels')));
  return errs;
}
