// Structural defaulting of custom resources, as upstream's apiextensions defaulting: a missing
// field whose schema has a `default` gets a copy of it (and a null in a non-nullable field too),
// walking into properties, array items and map values; defaults may themselves be defaulted further.
import type { Schema } from './schema-types';
import { isJsonObject } from './object-meta';

/** Applies the schema's defaults to `value` in place. */
export function applyDefaults(value: unknown, schema: Schema): void {
  if (Array.isArray(value)) {
    if (schema.items && typeof schema.items === 'object') for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  if (!isJsonObject(value)) return;
  if (schema.properties) {
    for (const [k, s] of Object.entries(schema.properties)) {
      const missing = !(k in value) || (value[k] === null && s.nullable !== true);
      if (missing && s.default !== undefined) value[k] = structuredClone(s.default);
      if (k in value) applyDefaults(value[k], s);
    }
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const s = schema.additionalProperties;
    for (const k of Object.keys(value)) {
      if (value[k] === null && s.nullable !== true && s.default !== undefined) value[k] = structuredClone(s.default);
      applyDefaults(value[k], s);
    }
  }
}

