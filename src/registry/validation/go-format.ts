// Renders bad values the way Go's %#v does in upstream field errors (maps, slices, selectors),
// because kubectl users see e.g. `Invalid value: map[string]string{"app":"x"}` verbatim.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { parseQuantity } from '../quantity';
import { FieldError, type FieldPath } from '../field-error';

export const goQuote = (s: string) => JSON.stringify(s);

export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (!m) return 'map[string]string(nil)';
  const body = Object.keys(m).sort().map((k) => `${goQuote(k)}:${goQuote(m[k])}`).join(', ');
  return `map[string]string{${body}}`;
}

export function goStringSlice(a: string[] | undefined | null): string {
  if (!a) return '[]string(nil)';
  return `[]string{${a.map(goQuote).join(', ')}}`;
}

export function goLabelSelector(sel: LabelSelector | undefined | null): string {
  if (!sel) return '<nil>';
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions.map((e) =>
      `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${goStringSlice(e.values)}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** An intstr.IntOrString as %#v prints it. */
export function goIntOrString(v: number | string | undefined): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`;
}

/** An Invalid error whose value is shown pre-rendered (Go syntax) rather than JSON. */
export function invalidRendered(p: FieldPath | string, value: unknown, rendered: string, detail: string): FieldError {
  return new FieldError('Invalid', String(p), value, detail ? `${rendered}: ${detail}` : rendered, true);
}

/** A NotSupported error whose value is shown pre-rendered (Go syntax). */
export function notSupportedRendered(p: FieldPath | string, value: unknown, rendered: string, valid: string[]): FieldError {
  return new FieldError('NotSupported', String(p), value, `${rendered}: supported values: ${valid.map((x) => JSON.stringify(x)).join(', ')}`, true);
}

/**
 * A resource.Quantity as %#v prints it: its int64 amount, no inf.Dec, the input string when it was
 * already canonical (upstream caches only those), and its format.
 */
export function goQuantity(input: string | number): string {
  const q = parseQuantity(input);
  const value = `${q.negative ? '-' : ''}${q.mantissa}`;
  const s = String(input) === q.toString() ? String(input) : '';
  return `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${q.scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(s)}, Format:${JSON.stringify(q.format)}}`;
}
