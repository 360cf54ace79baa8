// Validates custom resources against their CRD version's structural openAPIV3Schema with ajv, and
// reports failures as upstream does (kube-openapi's validator mapped to field errors: paths like
// `spec.cronSpec`, "in body must be of type string" wording, Required/Unsupported/Too long values).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import {
  FieldError, invalidValue, notSupported, required, tooLong, tooMany, typeInvalid,
} from './field-error';
import type { Schema } from './schema-types';

type JsonSchema = Record<string, unknown>;

/** Keywords ajv checks with the same meaning OpenAPI v3 gives them; everything else is dropped. */
const carried = ['minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf',
  'minProperties', 'maxProperties', 'required', 'enum'] as const;

/**
 * OpenAPI v3.0 schema to the JSON Schema ajv speaks: `nullable` becomes a null type, boolean
 * exclusive bounds become numeric ones, int-or-string becomes a two-type union; annotations,
 * `default`, `format` (unvalidated here) and the x-kubernetes extensions are left out.
 */
export function toJsonSchema(s: Schema, root = true): JsonSchema {
  const out: JsonSchema = {};
  const nullable = s.nullable === true;
  let types: string[] | undefined;
  if (s['x-kubernetes-int-or-string'] === true) types = ['integer', 'string'];
  else if (typeof s.type === 'string' && s.type) types = [s.type];
  if (types) out.type = nullable ? [...types, 'null'] : types.length === 1 ? types[0] : types;
  for (const k of carried) if (s[k] !== undefined) out[k] = s[k];
  if (nullable && Array.isArray(out.enum)) out.enum = [...out.enum, null];
  if (typeof s.maximum === 'number') out[s.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'] = s.maximum;
  if (typeof s.minimum === 'number') out[s.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'] = s.minimum;
  if (s.properties) {
    const props: Record<string, JsonSchema> = {};
    for (const [k, v] of Object.entries(s.properties)) {
      // ObjectMeta is validated as metadata, not by the CRD's schema (which may only narrow name).
      if (root && k === 'metadata') continue;
      props[k] = toJsonSchema(v, false);
    }
    out.properties = props;
  }
  if (s.items && typeof s.items === 'object') out.items = toJsonSchema(s.items, false);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    out.additionalProperties = toJsonSchema(s.additionalProperties, false);
  }
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (Array.isArray(list)) out[k] = list.map((x) => toJsonSchema(x, false));
  }
  if (s.not && typeof s.not === 'object') out.not = toJsonSchema(s.not as Schema, false);
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, validateFormats: false });

export type CustomResourceValidator = (obj: unknown) => FieldError[];

/** Compiles once per schema; the returned function validates a whole object from its root. */
export function compileValidator(schema: Schema): CustomResourceValidator {
  const validate: ValidateFunction = ajv.compile(toJsonSchema(schema));
  return (obj) => (validate(obj) ? [] : toFieldErrors(validate.errors ?? []));
}

/** ajv's `/spec/items/0/name` as upstream's `spec.items[0].name`. */
function fieldPath(instancePath: string): string {
  let out = '';
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out;
}

/** The JSON type name kube-openapi gives a decoded value. */
function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function toFieldErrors(errors: ErrorObject[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  // Alternatives of anyOf/oneOf report their own failures; upstream reports the combinator once,
  // and not at all where the field's type already failed (int-or-string's anyOf pair).
  const relevant = errors.filter((e) => !e.schemaPath.includes('/anyOf/') && !e.schemaPath.includes('/oneOf/'));
  const typeFailed = new Set(relevant.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of relevant) {
    if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && typeFailed.has(e.instancePath)) continue;
    const fe = toFieldError(e);
    const key = fe.toString();
    if (!seen.has(key)) { seen.add(key); out.push(fe); }
  }
  return out;
}

function toFieldError(e: ErrorObject): FieldError {
  const path = fieldPath(e.instancePath);
  const name = path || '.';
  const p = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      return required(path ? `${path}.${missing}` : missing);
    }
    case 'type': {
      const want = Array.isArray(p.type) ? p.type.filter((t) => t !== 'null').join(',') : String(p.type);
      const got = jsonType(data);
      return typeInvalid(path, got, `${name} in body must be of type ${want}: ${JSON.stringify(got)}`);
    }
    case 'enum':
      return notSupported(path, data, ((p.allowedValues as unknown[]) ?? []).filter((v) => v !== null)
        .map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
    case 'maxLength': return tooLong(path, Number(p.limit));
    case 'maxItems': return tooMany(path, Array.isArray(data) ? data.length : -1, Number(p.limit));
    case 'maxProperties':
      return tooMany(path, data && typeof data === 'object' ? Object.keys(data).length : -1, Number(p.limit));
    case 'minLength': return invalidValue(path, data, `${name} in body should be at least ${String(p.limit)} chars long`);
    case 'minItems': return invalidValue(path, data, `${name} in body should have at least ${String(p.limit)} items`);
    case 'minProperties': return invalidValue(path, data, `${name} in body should have at least ${String(p.limit)} properties`);
    case 'uniqueItems': return invalidValue(path, data, `${name} in body shouldn't contain duplicates`);
    case 'pattern': return invalidValue(path, data, `${name} in body should match '${String(p.pattern)}'`);
    case 'multipleOf': return invalidValue(path, data, `${name} in body should be a multiple of ${String(p.multipleOf)}`);
    case 'maximum': return invalidValue(path, data, `${name} in body should be less than or equal to ${String(p.limit)}`);
    case 'exclusiveMaximum': return invalidValue(path, data, `${name} in body should be less than ${String(p.limit)}`);
    case 'minimum': return invalidValue(path, data, `${name} in body should be greater than or equal to ${String(p.limit)}`);
    case 'exclusiveMinimum': return invalidValue(path, data, `${name} in body should be greater than ${String(p.limit)}`);
    case 'anyOf': return invalidValue(path, data, `${name} in body must validate at least one schema (anyOf)`);
    case 'oneOf': return invalidValue(path, data, `${name} in body must validate one and only one schema (oneOf)`);
    case 'not': return invalidValue(path, data, `${name} in body must not validate the schema (not)`);
    default: return invalidValue(path, data, e.message ?? 'is invalid');
  }
}
