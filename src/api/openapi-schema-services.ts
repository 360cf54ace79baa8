// The schema layer as the request handlers see it: unknown-field detection and patch application
// for a resource, backed by the OpenAPI service's built-in and CRD-served definitions.
import { applyPatch } from '../registry/patch';
import type { KubeObject, ResourceDef } from '../registry/resource-types';
import { resolveSchema, type KindSchema } from '../registry/schema-types';
import { UnknownFieldDetector } from '../registry/unknown-fields';
import type { OpenApiService } from './openapi';
import type { SchemaServices } from './schema-services';

export class OpenApiSchemaServices implements SchemaServices {
  private readonly detector: UnknownFieldDetector;

  constructor(private readonly openapi: OpenApiService) {
    this.detector = new UnknownFieldDetector(openapi);
  }

  unknownFields(def: ResourceDef, obj: unknown): string[] {
    return this.detector.find(def.openapiName, obj);
  }

  describe(ref: string): string | undefined {
    const [definition, property] = ref.split('#');
    const prop = this.openapi.schemaFor(definition)?.properties?.[property];
    return prop && typeof prop.description === 'string' ? prop.description : undefined;
  }

  applyPatch(def: ResourceDef, contentType: string, original: KubeObject, patch: unknown): KubeObject {
    // Custom resources have no patch metadata, so upstream refuses strategic merge for them.
    const strategicName = def.crdSchema === undefined ? def.openapiName : undefined;
    return applyPatch(contentType, original, patch, strategicName, this.openapi);
  }

  schemaOf(def: ResourceDef): KindSchema {
    return { root: resolveSchema(this.openapi.schemaFor(def.openapiName), this.openapi), source: this.openapi };
  }
}
