// What the request handlers need from the schema layer: unknown-field detection for
// fieldValidation and patch application driven by the OpenAPI merge keys.
import type { KubeObject, ResourceDef } from '../registry/resource-types';

export interface SchemaServices {
  /** Paths of fields the resource's schema does not know, e.g. `spec.containers[0].foo`. */
  unknownFields(def: ResourceDef, obj: unknown): string[];
  applyPatch(def: ResourceDef, contentType: string, original: KubeObject, patch: unknown): KubeObject;
  /** The OpenAPI description of `<definition>#<property>`, for Table column definitions. */
  describe(ref: string): string | undefined;
}
