// Validation of a structured metav1.LabelSelector (matchLabels / matchExpressions) as it appears in specs.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, required } from '../field-error';
import { isQualifiedName, isValidLabelValue } from './names';
import { validateLabels } from './object-meta';

export function validateLabelSelector(sel: LabelSelector | undefined, p: FieldPath): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = [];
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const ep = p.child('matchExpressions').index(i);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) errs.push(required(ep.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) errs.push(forbiddenField(ep.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalidValue(ep.child('operator'), e.operator, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(e.key ?? '')) errs.push(invalidValue(ep.child('key'), e.key, m));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(invalidValue(ep.child('values').index(j), v, m));
    });
  });
  errs.push(...validateLabels(sel.matchLabels, p.child('matchLabels')));
  return errs;
}
