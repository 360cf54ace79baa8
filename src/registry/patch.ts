// PATCH bodies applied to a stored object: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and
// strategic merge patch, failing with the status codes and messages upstream's patch handler uses.
import { applyPatch as applyJsonPatch, JsonPatchError, type Operation } from 'fast-json-patch';
import { badRequest, internal, statusError, tooLarge, type StatusError } from './errors';
import type { KubeObject } from './resource-types';
import type { SchemaSource } from './schema-types';
import { SmpError, StrategicMerger } from './strategic-merge';
import { isJsonObject } from './object-meta';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const mediaTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** Upstream's cap on operations in one JSON patch. */
export const maxJsonPatchOperations = 10000;

export function patchTypeOf(contentType: string): PatchType | undefined {
  return mediaTypes[contentType.split(';')[0].trim().toLowerCase()];
}

function unsupported(contentType: string, allowStrategic: boolean): StatusError {
  const accepted = ['application/json-patch+json', 'application/merge-patch+json',
    ...(allowStrategic ? ['application/strategic-merge-patch+json'] : []), 'application/apply-patch+yaml'];
  return statusError(415, 'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] });
}

/** 422 with no detail, the way upstream reports a JSON patch that cannot be applied. */
function rejected(): StatusError {
  return statusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

function decodeBody(body: unknown): unknown {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(body.toString());
  } catch (e) {
    throw badRequest(e instanceof Error ? e.message : String(e));
  }
}

function asObject(v: unknown): KubeObject {
  if (!isJsonObject(v)) throw badRequest(`json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`);
  return v as KubeObject;
}

function jsonPatch(original: KubeObject, patch: unknown): KubeObject {
  if (!Array.isArray(patch)) throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  if (patch.length > maxJsonPatchOperations) {
    throw tooLarge(`Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`);
  }
  for (const op of patch) if (!isJsonObject(op)) throw badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
  try {
    const result = applyJsonPatch(structuredClone(original), patch as Operation[], true, true).newDocument;
    return asObject(result);
  } catch (e) {
    if (e instanceof JsonPatchError) throw rejected();
    throw e;
  }
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isJsonObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function strategicPatch(original: KubeObject, patch: unknown, openapiName: string, schemas: SchemaSource): KubeObject {
  const p = asObject(patch);
  try {
    return new StrategicMerger(schemas).apply(original, p, schemas.schemaFor(openapiName)) as KubeObject;
  } catch (e) {
    if (!(e instanceof SmpError)) throw e;
    if (e.kind === 'badRequest') throw badRequest(e.message);
    if (e.kind === 'invalid') throw rejected();
    throw internal(e.message);
  }
}

/**
 * Applies a PATCH body of the given content type to `original` (left untouched) and returns the
 * patched object. Strategic merge needs the kind's definition, so it is refused (415) without one,
 * as upstream refuses it for custom resources. Server-side apply is handled elsewhere.
 */
export function applyPatch(contentType: string, original: KubeObject, patchBody: unknown,
  openapiName: string | undefined, schemas: SchemaSource | undefined): KubeObject {
  const type = patchTypeOf(contentType);
  const canStrategic = openapiName !== undefined && schemas?.schemaFor(openapiName) !== undefined;
  if (!type || type === 'apply') throw unsupported(contentType, canStrategic);
  const patch = decodeBody(patchBody);
  switch (type) {
    case 'json':
      return jsonPatch(original, patch);
    case 'merge':
      if (!isJsonObject(patch)) throw badRequest('Invalid JSON Patch');
      return asObject(mergePatch(original, patch));
    case 'strategic':
      if (!canStrategic || openapiName === undefined || !schemas) throw unsupported(contentType, false);
      return strategicPatch(original, patch, openapiName, schemas);
  }
}
