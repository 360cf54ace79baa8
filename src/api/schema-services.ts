// What the request handlers need from the schema layer: unknown-field detection for
// fieldValidation, and patch and server-side apply driven by the OpenAPI merge keys and list types.
import type { KubeObject, ResourceDef } from '../registry/resource-types';
import type { KindSchema } from '../registry/schema-types';

export interface SchemaServices {
  /** Paths of fields the resource's schema does not know, e.g. `spec.containers[0].foo`. */
  unknownFields(def: ResourceDef, obj: unknown): string[];
  applyPatch(def: ResourceDef, contentType: string, original: KubeObject, patch: unknown): KubeObject;
  /** The kind's schema, which server-side apply and managedFields follow. */
  schemaOf(def: ResourceDef): KindSchema;
  /** The OpenAPI description of `<definition>#<property>`, for Table column definitions. */
  describe(ref: string): string | undefined;
}
