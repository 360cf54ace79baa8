// Validation of container resource requirements (requests/limits): names, non-negative quantities,
// and requests not exceeding limits.
import type { ResourceRequirements } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, invalidValue } from '../field-error';
import { parseQuantity, type Quantity } from '../quantity';
import { isQualifiedName } from './names';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

function validateResourceName(name: string, p: FieldPath): FieldError[] {
  if (standardContainerResources.has(name) || name.startsWith('hugepages-')) return [];
  const errs = isQualifiedName(name).map((m) => invalidValue(p, name, m));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    return [invalidValue(p, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

function parsed(v: unknown): Quantity | undefined {
  try { return parseQuantity(v as string | number); } catch { return undefined; }
}

export function validateResourceRequirements(r: ResourceRequirements | undefined, p: FieldPath): FieldError[] {
  if (!r) return [];
  const errs: FieldError[] = [];
  const limits = new Map<string, Quantity>();
  for (const [name, v] of Object.entries(r.limits ?? {})) {
    const kp = p.child('limits').key(name);
    errs.push(...validateResourceName(name, kp));
    const q = parsed(v);
    if (!q) continue;
    if (q.negative) errs.push(invalidValue(kp, q.toString(), 'must be greater than or equal to 0'));
    limits.set(name, q);
  }
  for (const [name, v] of Object.entries(r.requests ?? {})) {
    const kp = p.child('requests').key(name);
    errs.push(...validateResourceName(name, kp));
    const q = parsed(v);
    if (!q) continue;
    if (q.negative) errs.push(invalidValue(kp, q.toString(), 'must be greater than or equal to 0'));
    const lim = limits.get(name);
    if (!lim) continue;
    const overcommit = standardContainerResources.has(name);
    if (name.startsWith('hugepages-') || !overcommit) {
      if (q.cmp(lim) !== 0) errs.push(invalidValue(p.child('requests'), q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
    } else if (q.cmp(lim) > 0) {
      errs.push(invalidValue(p.child('requests'), q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
    }
  }
  return errs;
}
