// Field-level validation errors with upstream's types, cause reasons and message wording
// (k8s.io/apimachinery/pkg/util/validation/field), aggregated the way kubectl shows them.

export type FieldErrorType = 'Required' | 'Invalid' | 'TypeInvalid' | 'NotSupported' | 'Forbidden' | 'Duplicate' | 'TooLong' | 'TooMany' | 'NotFound' | 'Internal';

const reasons: Record<FieldErrorType, string> = {
  Required: 'FieldValueRequired', Invalid: 'FieldValueInvalid', TypeInvalid: 'FieldValueTypeInvalid', NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden', Duplicate: 'FieldValueDuplicate', TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany', NotFound: 'FieldValueNotFound', Internal: 'InternalError',
};

const typeText: Record<FieldErrorType, string> = {
  Required: 'Required value', Invalid: 'Invalid value', TypeInvalid: 'Invalid value', NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden', Duplicate: 'Duplicate value', TooLong: 'Too long', TooMany: 'Too many',
  NotFound: 'Not found', Internal: 'Internal error',
};

function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export class FieldError {
  constructor(readonly type: FieldErrorType, readonly field: string, readonly badValue?: unknown, readonly detail = '',
    readonly omitValue = false) {}
  get reason(): string { return reasons[this.type]; }
  /** The message without the field path, as placed in a Status cause. */
  detailMessage(): string {
    let s = typeText[this.type];
    const hasValue = !this.omitValue && ['Invalid', 'TypeInvalid', 'NotSupported', 'Duplicate', 'NotFound', 'TooMany'].includes(this.type);
    if (hasValue) s += `: ${showValue(this.badValue)}`;
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }
  toString(): string { return `${this.field}: ${this.detailMessage()}`; }
}

/** A field path builder, so validators write `path.child('spec').index(0)` as upstream does. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(name = ''): FieldPath { return new FieldPath(name); }
  child(name: string): FieldPath { return new FieldPath(this.text ? `${this.text}.${name}` : name); }
  index(i: number): FieldPath { return new FieldPath(`${this.text}[${i}]`); }
  key(k: string): FieldPath { return new FieldPath(`${this.text}[${k}]`); }
  toString(): string { return this.text; }
}

export const required = (p: FieldPath | string, detail = '') => new FieldError('Required', String(p), undefined, detail);
export const invalidValue = (p: FieldPath | string, v: unknown, detail: string) => new FieldError('Invalid', String(p), v, detail);
export const notSupported = (p: FieldPath | string, v: unknown, valid: string[]) =>
  new FieldError('NotSupported', String(p), v, valid.length ? `supported values: ${valid.map((x) => JSON.stringify(x)).join(', ')}` : '');
export const forbiddenField = (p: FieldPath | string, detail: string) => new FieldError('Forbidden', String(p), undefined, detail);
export const duplicate = (p: FieldPath | string, v: unknown) => new FieldError('Duplicate', String(p), v);
export const typeInvalid = (p: FieldPath | string, v: unknown, detail: string) => new FieldError('TypeInvalid', String(p), v, detail);
export const tooMany = (p: FieldPath | string, actual: number, max: number) =>
  new FieldError('TooMany', String(p), actual, `must have at most ${max} items`);
export const tooLong = (p: FieldPath | string, max: number) => new FieldError('TooLong', String(p), undefined, `may not be more than ${max} bytes`);

export function aggregateMessage(errs: FieldError[]): string {
  if (errs.length === 1) return errs[0].toString();
  return `[${errs.map((e) => e.toString()).join(', ')}]`;
}
