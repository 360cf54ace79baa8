// Definitions for CRD-served resources: the CRD's own structural schema, completed with the
// apiVersion/kind/metadata fields and GVK marker built-in kinds carry, plus its List kind.
import type { ResourceDef } from '../registry/resource-types';
import { definitionsRefPrefix, isSchema, type Definitions, type Schema } from '../registry/schema-types';
import { listDefName, metaDef } from './openapi-operations';

const apiVersionField: Schema = {
  description: 'The versioned schema of this object, as group/version.',
  type: 'string',
};
const kindField: Schema = {
  description: 'The REST resource this object represents, in CamelCase.',
  type: 'string',
};

export function crdDefinitions(def: ResourceDef): Definitions {
  const base: Schema = isSchema(def.crdSchema) ? structuredClone(def.crdSchema) : { type: 'object' };
  const properties: Record<string, Schema> = { ...(base.properties ?? {}) };
  properties.apiVersion = apiVersionField;
  properties.kind = kindField;
  properties.metadata = { $ref: definitionsRefPrefix + metaDef('ObjectMeta') };
  const schema: Schema = {
    ...base,
    type: 'object',
    properties,
    'x-kubernetes-group-version-kind': [{ group: def.group, kind: def.kind, version: def.version }],
  };
  const list: Schema = {
    description: `${def.listKind} is a list of ${def.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: apiVersionField,
      items: { description: `List of ${def.plural.toLowerCase()}.`, type: 'array', items: { $ref: definitionsRefPrefix + def.openapiName } },
      kind: kindField,
      metadata: { $ref: definitionsRefPrefix + metaDef('ListMeta') },
    },
    'x-kubernetes-group-version-kind': [{ group: def.group, kind: def.listKind, version: def.version }],
  };
  return { [def.openapiName]: schema, [listDefName(def)]: list };
}
