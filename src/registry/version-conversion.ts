// Serving one stored resource in several versions: a ResourceDef whose objects are kept in etcd in
// another version (or may be, for custom resources) carries a conversion to and from that storage
// version. The generic store applies it on every read and write and to every watch event, so etcd
// holds one key per object whatever version wrote it. Kinds without one pay nothing.
import type { KubeObject } from './resource-types';

export interface VersionConversion {
  /** `group/version` objects are stored in. */
  storageApiVersion: string;
  /** A served-version object in storage form. */
  toStorage(obj: KubeObject): KubeObject;
  /** A stored object in the served version (a new object: the cache may hold the one given). */
  fromStorage(obj: KubeObject): KubeObject;
}

/**
 * Upstream's `None` conversion, which custom resources use: versions differ only in apiVersion.
 * Objects stored under an earlier storage version are served with their apiVersion rewritten too.
 */
export function apiVersionOnlyConversion(servedApiVersion: string, storageApiVersion: string): VersionConversion {
  return {
    storageApiVersion,
    toStorage: (obj) => ({ ...obj, apiVersion: storageApiVersion }),
    fromStorage: (obj) => ({ ...obj, apiVersion: servedApiVersion }),
  };
}
