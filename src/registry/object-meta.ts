// Server-owned metadata: generated names, uids, timestamps, and which parts of an object count as
// its spec for generation bumps and no-op detection.
import { randomUUID, randomInt } from 'node:crypto';
import type { KubeObject } from './resource-types';

// Upstream avoids vowels and look-alike characters so generated names never spell words.
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(base: string): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[randomInt(alphabet.length)];
  return base.slice(0, 63 - 5) + s;
}

let lastSecond = -1;
let lastStamp = '';

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function nowTimestamp(offsetSeconds = 0): string {
  const second = Math.floor(Date.now() / 1000) + offsetSeconds;
  // Every create stamps the time: format each second once.
  if (second !== lastSecond) {
    lastStamp = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastStamp;
}

export const newUid = (): string => randomUUID();

/** Everything but metadata and status: what a generation bump is about. */
export function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

export function clone<T>(v: T): T { return structuredClone(v); }

/** A JSON object (not an array, not null): the narrowing every walk over decoded JSON starts from. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
