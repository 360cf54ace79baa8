// /openapi/v2 in protobuf (gnostic's openapi.v2.Document), the form kubectl asks for when it validates
// a manifest on the client side (a v1 List, or a kind without a PATCH operation such as TokenReview).
// Only the header and the definitions are encoded: they are what kubectl reads from it.
import * as path from 'path';
import { existsSync } from 'fs';
import { Root, type Type } from 'protobufjs';

/** The response type upstream sends (the `@v1.0` form kubectl asks for does not parse as a media type). */
export const openApiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

let documentType: Type | undefined;
function documentMessage(): Type {
  if (!documentType) {
    // dist/src/api -> proto, or src/api -> proto when run from the sources.
    const file = [path.join(__dirname, '../../../proto/openapi/openapiv2.proto'), path.join(__dirname, '../../proto/openapi/openapiv2.proto')]
      .find((f) => existsSync(f));
    if (!file) throw new Error('proto/openapi/openapiv2.proto not found');
    documentType = new Root().loadSync(file, { keepCase: true }).lookupType('openapi.v2.Document');
  }
  return documentType;
}

const any = (v: unknown) => ({ yaml: JSON.stringify(v) });
const numberFields = {
  multipleOf: 'multiple_of', maximum: 'maximum', minimum: 'minimum', maxLength: 'max_length', minLength: 'min_length',
  maxItems: 'max_items', minItems: 'min_items', maxProperties: 'max_properties', minProperties: 'min_properties',
} as const;
const boolFields = { exclusiveMaximum: 'exclusive_maximum', exclusiveMinimum: 'exclusive_minimum', uniqueItems: 'unique_items', readOnly: 'read_only' } as const;
const stringFields = { $ref: '_ref', format: 'format', title: 'title', description: 'description', pattern: 'pattern', discriminator: 'discriminator' } as const;

/** One JSON schema as the Schema message (field names as the .proto spells them). */
function schema(s: Json): Json {
  const m: Json = {};
  for (const [k, f] of Object.entries(stringFields)) if (typeof s[k] === 'string') m[f] = s[k];
  for (const [k, f] of Object.entries(numberFields)) if (typeof s[k] === 'number') m[f] = s[k];
  for (const [k, f] of Object.entries(boolFields)) if (typeof s[k] === 'boolean') m[f] = s[k];
  if ('default' in s) m.default = any(s.default);
  if ('example' in s) m.example = any(s.example);
  if (Array.isArray(s.required)) m.required = s.required.filter((r) => typeof r === 'string');
  if (Array.isArray(s.enum)) m.enum = s.enum.map(any);
  if (typeof s.type === 'string') m.type = { value: [s.type] };
  else if (Array.isArray(s.type)) m.type = { value: s.type.filter((t) => typeof t === 'string') };
  if (isObject(s.items)) m.items = { schema: [schema(s.items)] };
  else if (Array.isArray(s.items)) m.items = { schema: s.items.filter(isObject).map(schema) };
  if (Array.isArray(s.allOf)) m.all_of = s.allOf.filter(isObject).map(schema);
  if (isObject(s.properties)) m.properties = { additional_properties: named(s.properties) };
  if (typeof s.additionalProperties === 'boolean') m.additional_properties = { boolean: s.additionalProperties };
  else if (isObject(s.additionalProperties)) m.additional_properties = { schema: schema(s.additionalProperties) };
  const ext = Object.entries(s).filter(([k]) => k.startsWith('x-')).map(([name, v]) => ({ name, value: any(v) }));
  if (ext.length) m.vendor_extension = ext;
  return m;
}

const named = (o: Json) => Object.entries(o).filter((e): e is [string, Json] => isObject(e[1])).map(([name, v]) => ({ name, value: schema(v) }));

/** The v2 document (as served in JSON) in protobuf. */
export function encodeOpenApiV2(doc: Json): Buffer {
  const info = isObject(doc.info) ? doc.info : {};
  const message = {
    swagger: typeof doc.swagger === 'string' ? doc.swagger : '2.0',
    info: { title: String(info.title ?? ''), version: String(info.version ?? '') },
    definitions: { additional_properties: isObject(doc.definitions) ? named(doc.definitions) : [] },
  };
  const type = documentMessage();
  return Buffer.from(type.encode(type.fromObject(message)).finish());
}
