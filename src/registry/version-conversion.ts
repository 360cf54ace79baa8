// Serving one stored resource in several versions: a ResourceDef for a non-storage version carries a
// conversion to and from the storage version, which the generic store applies on every read and write
// (and the watch handler on every event), so etcd holds one key per object whatever version wrote it.
import type { KubeObject } from './resource-types';

export interface VersionConversion {
  /** `group/version` objects are stored in. */
  storageApiVersion: string;
  /** A served-version object in storage form; objects already in storage form pass through. */
  toStorage(obj: KubeObject): KubeObject;
  /** A stored object in the served version. */
  fromStorage(obj: KubeObject): KubeObject;
}

export function toStorageForm(c: VersionConversion | undefined, obj: KubeObject): KubeObject {
  if (!c || obj.apiVersion === c.storageApiVersion) return obj;
  return c.toStorage(obj);
}

export function servedForm(c: VersionConversion | undefined, obj: KubeObject): KubeObject {
  return c ? c.fromStorage(obj) : obj;
}

/** A stored object's JSON in the served version (untouched when no conversion applies). */
export function servedJson(c: VersionConversion | undefined, json: string): string {
  return c ? JSON.stringify(c.fromStorage(JSON.parse(json) as KubeObject)) : json;
}
