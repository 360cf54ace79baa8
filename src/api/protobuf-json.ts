// Renders a decoded Kubernetes protobuf message as the JSON a Go client would have sent for the same object,
// following the (kubets.json) field notes in proto/k8s (pointer vs value, omitempty, inline) and the
// hand-written JSON forms of Time, Quantity, IntOrString, RawExtension and friends.
import { Field, MapField, Type } from 'protobufjs';

type Json = unknown;
type Obj = Record<string, unknown>;

// Lets RawExtension hold a nested k8s protobuf object without this module depending on the envelope decoder.
export type NestedDecoder = (raw: Buffer) => Json;

interface FieldNote {
  annotated: boolean;
  ptr: boolean;
  omitempty: boolean;
  inline: boolean;
  nilable: boolean;
  jsonName?: string;
}

const notes = new WeakMap<Field, FieldNote>();

function noteFor(field: Field): FieldNote {
  const cached = notes.get(field);
  if (cached) return cached;
  const raw = field.options?.['(kubets.json)'];
  const parts = typeof raw === 'string' ? raw.split(',').filter((p) => p !== '') : [];
  const jsonPart = parts.find((p) => p.startsWith('json='));
  const note: FieldNote = {
    annotated: typeof raw === 'string',
    ptr: parts.includes('ptr'),
    omitempty: parts.includes('omitempty'),
    inline: parts.includes('inline'),
    nilable: parts.includes('nilable'),
    jsonName: jsonPart?.slice('json='.length),
  };
  notes.set(field, note);
  return note;
}

const meta = '.k8s.io.apimachinery.pkg.apis.meta.v1.';
const int64Types = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const numericTypes = new Set([...int64Types, 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'double', 'float']);

function has(obj: Obj, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function asObj(value: unknown): Obj {
  return typeof value === 'object' && value !== null ? (value as Obj) : {};
}

// protobufjs hands back Long instances for 64-bit fields when the long package is present.
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (typeof value === 'object' && value !== null) {
    const toNum = (value as { toNumber?: unknown }).toNumber;
    if (typeof toNum === 'function') return Number(toNum.call(value));
  }
  return 0;
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.alloc(0);
}

function scalar(type: string, value: unknown): Json {
  if (type === 'bytes') return toBuffer(value).toString('base64');
  if (numericTypes.has(type)) return toNumber(value);
  if (type === 'bool') return value === true;
  return typeof value === 'string' ? value : '';
}

function zeroScalar(type: string): Json {
  if (type === 'bytes') return '';
  if (numericTypes.has(type)) return 0;
  if (type === 'bool') return false;
  return '';
}

function isZero(value: Json): boolean {
  return value === '' || value === 0 || value === false;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function rfc3339(seconds: number, micros?: number): string {
  const d = new Date(seconds * 1000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return micros === undefined ? `${base}Z` : `${base}.${pad(micros, 6)}Z`;
}

// Mirrors Go's time.Duration.String, which is what metav1.Duration marshals to.
export function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${trimFraction(n / div)}${unit}`;
  }
  const h = Math.floor(n / 3.6e12); n -= h * 3.6e12;
  const m = Math.floor(n / 6e10); n -= m * 6e10;
  const s = `${trimFraction(n / 1e9)}s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  if (m > 0) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}

function trimFraction(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '');
}

function parseRawJson(raw: Buffer, nested: NestedDecoder): Json {
  if (raw.length >= 4 && raw[0] === 0x6b && raw[1] === 0x38 && raw[2] === 0x73 && raw[3] === 0x00) return nested(raw);
  return JSON.parse(raw.toString('utf8')) as Json;
}

// Types whose Go JSON form is not a plain struct. `value` is undefined when the field was absent on the wire.
function special(type: Type, value: Obj | undefined, nested: NestedDecoder): { json: Json } | undefined {
  const name = type.fullName;
  const v = value ?? {};
  switch (name) {
    case `${meta}Time`:
    case `${meta}MicroTime`: {
      // Go writes nothing for the zero time and reads an empty Timestamp back as zero, which marshals to null.
      if (!has(v, 'seconds') && !has(v, 'nanos')) return { json: null };
      const seconds = toNumber(v['seconds']);
      // metav1.Time drops nanoseconds on decode; MicroTime keeps microseconds.
      return { json: name.endsWith('MicroTime') ? rfc3339(seconds, Math.floor(toNumber(v['nanos']) / 1000)) : rfc3339(seconds) };
    }
    case `${meta}Duration`:
      return { json: goDuration(toNumber(v['duration'])) };
    case `${meta}FieldsV1`:
      return { json: has(v, 'Raw') ? parseRawJson(toBuffer(v['Raw']), nested) : null };
    case '.k8s.io.apimachinery.pkg.runtime.RawExtension':
      return { json: has(v, 'raw') ? parseRawJson(toBuffer(v['raw']), nested) : null };
    case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return { json: toNumber(v['type']) === 1 ? scalar('string', v['strVal']) : toNumber(v['intVal']) };
    case '.k8s.io.apimachinery.pkg.api.resource.Quantity':
    case '.k8s.io.apimachinery.pkg.api.resource.QuantityValue': {
      const s = v['string'];
      // A zero Quantity marshals as "0"; normalising the text is left to the registry.
      return { json: typeof s === 'string' && s !== '' ? s : '0' };
    }
  }
  if (type.options?.['(kubets.list)'] === true) {
    const items = v['items'];
    return { json: Array.isArray(items) && items.length > 0 ? items.map((i) => elementJson(type.fields['items'], i, nested)) : null };
  }
  return undefined;
}

function messageJson(type: Type, value: Obj | undefined, nested: NestedDecoder): Json {
  const sp = special(type, value, nested);
  if (sp) return sp.json;
  return renderMessage(type, value ?? {}, nested);
}

function elementJson(field: Field, value: unknown, nested: NestedDecoder): Json {
  return field.resolvedType instanceof Type ? messageJson(field.resolvedType, asObj(value), nested) : scalar(field.type, value);
}

export function renderMessage(type: Type, msg: Obj, nested: NestedDecoder): Obj {
  const out: Obj = {};
  for (const field of type.fieldsArray) {
    const note = noteFor(field);
    const key = note.jsonName ?? field.name;
    const present = has(msg, field.name);
    const value = msg[field.name];
    // Unannotated fields (special types, or kinds with no Go struct) are emitted only when sent.
    const valueSemantics = note.annotated && !note.ptr;

    if (field instanceof MapField || field.map) {
      const entries = Object.entries(asObj(value));
      if (entries.length === 0) {
        if (valueSemantics && !note.omitempty) out[key] = null;
        continue;
      }
      const map: Obj = {};
      for (const [k, v] of entries) map[k] = elementJson(field, v, nested);
      out[key] = map;
      continue;
    }
    if (field.repeated) {
      const items = Array.isArray(value) ? value : [];
      if (items.length === 0) {
        if (valueSemantics && !note.omitempty) out[key] = null;
        continue;
      }
      out[key] = items.map((item) => elementJson(field, item, nested));
      continue;
    }
    if (field.resolvedType instanceof Type) {
      if (note.inline) {
        Object.assign(out, renderMessage(field.resolvedType, present ? asObj(value) : {}, nested));
        continue;
      }
      // A Go struct value always marshals (omitempty never drops structs); a nil pointer is dropped.
      if (!valueSemantics && !present) continue;
      out[key] = messageJson(field.resolvedType, present ? asObj(value) : undefined, nested);
      continue;
    }
    if (field.type === 'bytes' && valueSemantics) {
      // []byte: proto presence is Go's nil-ness; nil marshals to null, empty to "".
      const buf = present ? toBuffer(value) : undefined;
      if (note.omitempty && (!buf || buf.length === 0)) continue;
      out[key] = buf ? buf.toString('base64') : null;
      continue;
    }
    if (!valueSemantics) {
      if (present) out[key] = scalar(field.type, value);
      continue;
    }
    const v = present ? scalar(field.type, value) : zeroScalar(field.type);
    if (note.omitempty && isZero(v)) continue;
    out[key] = v;
  }
  return out;
}
