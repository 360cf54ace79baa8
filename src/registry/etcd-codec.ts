// How objects sit in etcd: JSON without resourceVersion (etcd's mod revision is the version),
// decoded back with metadata.resourceVersion set, as upstream's storage layer does.
import type { KubeObject } from './resource-types';

export function encodeForStorage(obj: KubeObject): string {
  const meta = obj.metadata ?? {};
  if (meta.resourceVersion === undefined) return JSON.stringify(obj);
  const { resourceVersion: _dropped, ...rest } = meta;
  return JSON.stringify({ ...obj, metadata: rest });
}

export function decodeFromStorage(value: Buffer | string, modRevision: string | number): KubeObject {
  const obj = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(modRevision) };
  return obj;
}

export function storageKey(prefix: string, namespace: string | undefined, name: string): string {
  return namespace ? `/registry/${prefix}/${namespace}/${name}` : `/registry/${prefix}/${name}`;
}

/** The key prefix that selects a whole resource, or one namespace of it. */
export function storagePrefixKey(prefix: string, namespace?: string): string {
  return namespace ? `/registry/${prefix}/${namespace}/` : `/registry/${prefix}/`;
}
