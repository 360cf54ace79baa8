// Checks shared by ConfigMap and Secret: key syntax and the `immutable` flag freezing data.
import { FieldError, FieldPath, forbiddenField, invalidValue } from '../field-error';
import { isConfigMapKey } from './names';
import { stableJSON } from './pod-update';

export const maxConfigDataSize = 1024 * 1024;

export function validateDataKeys(data: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  return Object.keys(data ?? {}).flatMap((k) => isConfigMapKey(k).map((m) => invalidValue(p.key(k), k, m)));
}

/** Once `immutable: true` is stored, neither the flag nor the listed data fields may change. */
export function validateImmutableData(n: object, o: object, dataFields: string[]): FieldError[] {
  const nr = n as Record<string, unknown>;
  const or = o as Record<string, unknown>;
  if (or.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (nr.immutable !== true) errs.push(forbiddenField('immutable', 'field is immutable when `immutable` is set'));
  for (const f of dataFields) {
    if (stableJSON(nr[f] ?? {}) !== stableJSON(or[f] ?? {})) errs.push(forbiddenField(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}
