// Small helpers shared by the per-kind strategies: writable metadata and quantity canonicalisation
// with upstream's decode-error wording.
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { badRequest } from '../errors';
import { parseQuantity } from '../quantity';
import type { KubeObject } from '../resource-types';

/** The object's metadata, created when absent so strategies can write to it. */
export function metaOf(obj: KubeObject): ObjectMeta {
  if (!obj.metadata) obj.metadata = {};
  return obj.metadata;
}

/**
 * Rewrites a ResourceList's quantities canonically, as upstream's decoder does. A malformed quantity is a
 * decode failure upstream, reported as 400 "<Kind> in version "v1" cannot be handled as a <Kind>: ...".
 */
export function canonicalizeResourceList(list: Record<string, string> | undefined, kind: string, version: string): void {
  if (!list) return;
  for (const [k, v] of Object.entries(list)) {
    try {
      list[k] = parseQuantity(v as string | number).toString();
    } catch (e) {
      throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${(e as Error).message}`);
    }
  }
}
