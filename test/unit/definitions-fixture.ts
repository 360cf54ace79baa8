// Generates the OpenAPI definitions once per test file, straight from node_modules, so unit tests
// need no build output.
import { generateDefinitions } from '../../hack/gen-openapi';
import type { Definitions, SchemaSource } from '../../src/registry/schema-types';

let cached: Definitions | undefined;

export function definitions(): Definitions {
  cached ??= generateDefinitions();
  return cached;
}

export function schemaSource(): SchemaSource {
  const defs = definitions();
  return { schemaFor: (name) => defs[name] };
}
