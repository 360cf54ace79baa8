// IntOrString fields that take a count or a percentage (PDB minAvailable/maxUnavailable), checked as
// upstream's ValidatePositiveIntOrPercent / IsNotMoreThan100Percent, with the value shown in Go syntax.
import { FieldError, type FieldPath } from '../field-error';
import { invalidRendered } from './go-format';

/** intstr.IntOrString as Go's %#v prints it (the struct, since String() has a pointer receiver). */
export function goIntOrString(v: number | string): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`;
}

const percentMsg = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

export function validatePositiveIntOrPercent(v: number | string, p: FieldPath): FieldError[] {
  if (typeof v === 'string') {
    return /^[0-9]+%$/.test(v) ? [] : [invalidRendered(p, v, goIntOrString(v), percentMsg)];
  }
  return v < 0 ? [new FieldError('Invalid', String(p), v, 'must be greater than or equal to 0')] : [];
}

export function isNotMoreThan100Percent(v: number | string, p: FieldPath): FieldError[] {
  if (typeof v !== 'string') return [];
  const m = /^([0-9]+)%$/.exec(v);
  if (!m || Number(m[1]) <= 100) return [];
  return [invalidRendered(p, v, goIntOrString(v), 'must not be greater than 100%')];
}
