// Builds the schema layer from the resource table: the OpenAPI documents the server serves and the
// schema services (unknown fields, patches) the request handlers use, sharing one set of definitions.
import type { ResourceTable } from '../registry/resource-table';
import { OpenApiService } from './openapi';
import { OpenApiSchemaServices } from './openapi-schema-services';
import type { OpenApiDocs } from './openapi-docs';
import type { SchemaServices } from './schema-services';

export function createSchemaLayer(table: ResourceTable): { docs: OpenApiDocs; services: SchemaServices } {
  const openapi = new OpenApiService(table);
  return { docs: openapi, services: new OpenApiSchemaServices(openapi) };
}
