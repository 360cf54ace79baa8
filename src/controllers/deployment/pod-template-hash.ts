// The pod-template-hash label that names a Deployment's ReplicaSets (<deployment>-<hash>). Upstream
// hashes Go's printed form of the template with FNV-32a; we hash the template's canonical JSON (keys
// sorted) with FNV-32a instead, plus the collision count, and encode the decimal digits with upstream's
// SafeEncodeString alphabet, so values look the same (e.g. "5d4f7c9b86") and stay stable across restarts.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';

export const podTemplateHashLabel = 'pod-template-hash';
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}

/** Each character of s mapped into the alphabet that cannot spell words (rand.SafeEncodeString). */
export function safeEncode(s: string): string {
  return [...s].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

export function podTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  return objectHash(template ?? {}, collisionCount);
}

/** The same hash of any JSON value (ControllerRevisions hash their data with it). */
export function objectHash(value: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(value), 'utf8'));
  if (collisionCount !== undefined) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(collisionCount >>> 0);
    h = fnv32a(b, h);
  }
  return safeEncode(String(h));
}
