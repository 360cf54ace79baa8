// How objects sit in etcd: JSON without resourceVersion (etcd's mod revision is the version),
// decoded back with metadata.resourceVersion set, as upstream's storage layer does.
import type { KubeObject } from './resource-types';

/**
 * Stored JSON always begins apiVersion, kind, metadata: the first `"metadata":{` in the text is then the
 * object's own, so the watch cache can splice the resourceVersion in without re-serializing.
 */
export function encodeForStorage(obj: KubeObject): string {
  // Most bodies already lead with those three (kubectl's and client libraries' do), and a create has no
  // resourceVersion: then the object serializes as it is, without the copy below.
  if (obj.metadata?.resourceVersion === undefined && leadsWithHeader(obj)) return JSON.stringify(obj);
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion: _dropped, ...meta } = metadata ?? {};
  return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
}

const header = ['apiVersion', 'kind', 'metadata'];

function leadsWithHeader(obj: KubeObject): boolean {
  let i = 0;
  for (const k in obj) {
    if (k !== header[i]) return false;
    if (++i === header.length) return true;
  }
  return false;
}

export function decodeFromStorage(value: Buffer | string, modRevision: string | number): KubeObject {
  const obj = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(modRevision) };
  return obj;
}

const metadataOpen = '"metadata":{';

/** The stored JSON with metadata.resourceVersion set, by splicing (see encodeForStorage). */
export function withResourceVersion(stored: string, revision: number | string): string {
  const at = stored.indexOf(metadataOpen);
  if (at < 0) return JSON.stringify(decodeFromStorage(stored, revision));
  const cut = at + metadataOpen.length;
  const field = `"resourceVersion":${JSON.stringify(String(revision))}`;
  return stored.slice(0, cut) + field + (stored[cut] === '}' ? '' : ',') + stored.slice(cut);
}

export function storageKey(prefix: string, namespace: string | undefined, name: string): string {
  return namespace ? `/registry/${prefix}/${namespace}/${name}` : `/registry/${prefix}/${name}`;
}

/** The key prefix that selects a whole resource, or one namespace of it. */
export function storagePrefixKey(prefix: string, namespace?: string): string {
  return namespace ? `/registry/${prefix}/${namespace}/` : `/registry/${prefix}/`;
}
