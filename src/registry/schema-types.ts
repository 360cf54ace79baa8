// The OpenAPI schema shape shared by the generated definitions, the OpenAPI service, strict field
// detection and strategic merge patch, plus helpers to follow `$ref`s between definitions.

export interface GroupVersionKind { group: string; version: string; kind: string }

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  default?: unknown;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  [extension: string]: unknown;
}

export type Definitions = Record<string, Schema>;

/** A kind's schema and where its `$ref`s resolve: what server-side apply and managedFields walk. */
export interface KindSchema { root: Schema | undefined; source: SchemaSource }

/** Anything that can hand out a definition by its OpenAPI name (built-in or CRD-served). */
export interface SchemaSource {
  schemaFor(openapiName: string): Schema | undefined;
}

export const definitionsRefPrefix = '#/definitions/';
export const componentsRefPrefix = '#/components/schemas/';

export function refName(ref: string): string {
  if (ref.startsWith(definitionsRefPrefix)) return ref.slice(definitionsRefPrefix.length);
  if (ref.startsWith(componentsRefPrefix)) return ref.slice(componentsRefPrefix.length);
  return ref;
}

export function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Follows `$ref` (bare, or the single-element `allOf` wrapper OpenAPI v3 uses for described refs)
 * until reaching a schema with content. Bounded so a cyclic ref cannot hang a request.
 */
export function resolveSchema(schema: Schema | undefined, source: SchemaSource): Schema | undefined {
  let s = schema;
  for (let i = 0; s && i < 32; i++) {
    if (s.$ref) { s = source.schemaFor(refName(s.$ref)); continue; }
    if (s.allOf && s.allOf.length === 1 && !s.properties && !s.type) { s = s.allOf[0]; continue; }
    return s;
  }
  return s;
}
