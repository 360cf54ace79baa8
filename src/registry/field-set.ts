// Sets of field paths as server-side apply tracks them in metadata.managedFields (FieldsV1): built from
// an object by its schema's list and map types, read and written in the FieldsV1 form, and followed
// into objects to compare or remove what a path points at.
import { deepEqual, isJsonObject } from './object-meta';
import { isSchema, resolveSchema, type Schema, type SchemaSource } from './schema-types';

type Obj = Record<string, unknown>;

/**
 * One path element in FieldsV1 spelling: `f:<field>`, `k:<key fields as JSON>` (an item of a keyed list),
 * `v:<value as JSON>` (an item of a set) or `i:<index>`.
 */
export type PathElement = string;

/** Joins a path's elements into one string key; no element can contain it (JSON escapes control characters). */
const sep = '\u0000';

export function pathKey(path: PathElement[]): string {
  return path.join(sep);
}

export function pathOf(key: string): PathElement[] {
  return key === '' ? [] : key.split(sep);
}

/** Fields every apply leaves out: they belong to the server, not to a manager. */
const serverOwned = new Set(['f:apiVersion', 'f:kind']);
const serverOwnedMeta = new Set(['f:name', 'f:namespace', 'f:uid', 'f:resourceVersion', 'f:generation', 'f:creationTimestamp',
  'f:deletionTimestamp', 'f:deletionGracePeriodSeconds', 'f:selfLink', 'f:managedFields']);

/** How the schema says a list merges: items keyed by fields, a set of scalars, or one atomic value. */
export function listTypeOf(s: Schema | undefined): { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' } {
  const t = s?.['x-kubernetes-list-type'];
  const keys = s?.['x-kubernetes-list-map-keys'];
  if (t === 'map' && Array.isArray(keys) && keys.length) return { type: 'map', keys };
  if (t === 'set') return { type: 'set' };
  // Built-in kinds also mark keyed lists by their strategic merge key.
  const mergeKey = s?.['x-kubernetes-patch-merge-key'];
  if (t === undefined && typeof mergeKey === 'string' && s?.['x-kubernetes-patch-strategy']?.includes('merge')) return { type: 'map', keys: [mergeKey] };
  return { type: 'atomic' };
}

export function isAtomicMap(s: Schema | undefined): boolean {
  return s?.['x-kubernetes-map-type'] === 'atomic';
}

export function childSchema(s: Schema | undefined, field: string, source: SchemaSource): Schema | undefined {
  if (!s) return undefined;
  const p = s.properties?.[field] ?? (isSchema(s.additionalProperties) ? s.additionalProperties : undefined);
  return resolveSchema(p, source);
}

export function itemSchema(s: Schema | undefined, source: SchemaSource): Schema | undefined {
  return resolveSchema(s?.items, source);
}

/** The key element of a keyed list's item: its key fields, sorted by name, as JSON. */
export function keyElement(item: Obj, keys: string[]): PathElement {
  const k: Obj = {};
  for (const name of [...keys].sort()) if (item[name] !== undefined) k[name] = item[name];
  return `k:${JSON.stringify(k)}`;
}

export function valueElement(v: unknown): PathElement {
  return `v:${JSON.stringify(v)}`;
}

/**
 * The fields an applied object sets: every leaf (a scalar, an atomic list or map, an empty map) and every
 * item of a keyed list or set. Server-owned fields (apiVersion, kind, name, uid, ...) and, for kinds with
 * a status subresource, status are left out, as upstream's field manager leaves them out.
 */
export function fieldSetOf(obj: Obj, root: Schema | undefined, source: SchemaSource, skipStatus: boolean): Set<string> {
  const out = new Set<string>();
  for (const k in obj) {
    const v = obj[k];
    const el = `f:${k}`;
    if (serverOwned.has(el) || (skipStatus && el === 'f:status') || v === undefined) continue;
    const s = childSchema(root, k, source);
    if (el === 'f:metadata' && isJsonObject(v)) {
      for (const mk in v) {
        const mel = `f:${mk}`;
        if (serverOwnedMeta.has(mel) || v[mk] === undefined) continue;
        walk(v[mk], childSchema(s, mk, source), el + sep + mel, source, out);
      }
      continue;
    }
    walk(v, s, el, source, out);
  }
  return out;
}

/** Adds the paths below `key` (a path key, see pathKey) that `v` sets. */
function walk(v: unknown, s: Schema | undefined, key: string, source: SchemaSource, out: Set<string>): void {
  if (isJsonObject(v) && !isAtomicMap(s) && !s?.['x-kubernetes-int-or-string']) {
    let any = false;
    for (const k in v) {
      const x = v[k];
      if (x === undefined) continue;
      any = true;
      walk(x, childSchema(s, k, source), `${key}${sep}f:${k}`, source, out);
    }
    if (!any) out.add(key);
    return;
  }
  if (Array.isArray(v) && v.length) {
    const lt = listTypeOf(s);
    if (lt.type === 'map' && v.every(isJsonObject)) {
      const is = itemSchema(s, source);
      for (const item of v as Obj[]) {
        const itemKey = key + sep + keyElement(item, lt.keys);
        out.add(itemKey);
        for (const k in item) if (item[k] !== undefined) walk(item[k], childSchema(is, k, source), `${itemKey}${sep}f:${k}`, source, out);
      }
      return;
    }
    if (lt.type === 'set') {
      for (const item of v) out.add(key + sep + valueElement(item));
      return;
    }
  }
  out.add(key);
}

/** Whether `set` holds `key` or anything below it. */
export function ownsUnder(set: Set<string>, key: string): boolean {
  if (set.has(key)) return true;
  const prefix = key + sep;
  for (const k of set) if (k.startsWith(prefix)) return true;
  return false;
}

interface Node { member: boolean; children: Map<PathElement, Node> }

/** FieldsV1 form: nested objects keyed by path element, `.` marking a member that also has members below it. */
export function toFieldsV1(set: Set<string>): Obj {
  const root: Node = { member: false, children: new Map() };
  for (const key of [...set].sort()) {
    let node = root;
    for (const el of pathOf(key)) {
      let next = node.children.get(el);
      if (!next) node.children.set(el, next = { member: false, children: new Map() });
      node = next;
    }
    node.member = true;
  }
  const render = (node: Node): Obj => {
    const out: Obj = node.member && node.children.size ? { '.': {} } : {};
    for (const [el, child] of node.children) out[el] = render(child);
    return out;
  };
  return render(root);
}

/** Reads a FieldsV1 object back into a set; a malformed one reads as the paths it does spell. */
export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown, path: PathElement[]): void => {
    if (!isJsonObject(node)) return;
    const keys = Object.keys(node);
    if (path.length && (keys.length === 0 || keys.includes('.'))) out.add(pathKey(path));
    for (const k of keys) if (k !== '.') visit(node[k], [...path, k]);
  };
  visit(fields, []);
  return out;
}

/** A path in upstream's printed form, as conflict messages show it: `.spec.containers[name="app"].image`. */
export function printPath(key: string): string {
  return pathOf(key).map((el) => {
    const body = el.slice(2);
    if (el.startsWith('f:')) return `.${body}`;
    if (el.startsWith('v:')) return `[=${body}]`;
    const k = keyFieldsOf(el);
    if (el.startsWith('i:') || !k) return `[${body}]`;
    return `[${Object.entries(k).map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(',')}]`;
  }).join('');
}

/** Where `el` points inside `parent`: an object key, or an index into a list. */
export function locate(parent: unknown, el: PathElement): { in: Obj; key: string } | { in: unknown[]; index: number } | undefined {
  if (el.startsWith('f:')) return isJsonObject(parent) && el.slice(2) in parent ? { in: parent, key: el.slice(2) } : undefined;
  if (!Array.isArray(parent)) return undefined;
  let index = -1;
  if (el.startsWith('k:')) {
    const k = keyFieldsOf(el);
    if (k) index = parent.findIndex((x) => isJsonObject(x) && sameKey(k, x, Object.keys(k)));
  } else if (el.startsWith('v:')) {
    const v = parseElement(el);
    if (v.ok) index = parent.findIndex((x) => deepEqual(x, v.value));
  } else if (el.startsWith('i:')) {
    index = Number(el.slice(2));
    if (!(index < parent.length)) index = -1;
  }
  return index >= 0 ? { in: parent, index } : undefined;
}

/** The JSON after an element's `k:` or `v:`; stored managedFields come from clients, so it may not parse. */
function parseElement(el: PathElement): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(el.slice(2)) as unknown };
  } catch {
    return { ok: false };
  }
}

function keyFieldsOf(el: PathElement): Obj | undefined {
  const k = parseElement(el);
  return k.ok && isJsonObject(k.value) ? k.value : undefined;
}

/**
 * Whether `item` names the same keyed-list item as `stored`: every key field it gives matches. A key field
 * it leaves out (a port's protocol, defaulted on the stored item) matches whatever the stored item holds.
 */
export function sameKey(item: Obj, stored: Obj, keys: string[]): boolean {
  return keys.every((k) => item[k] === undefined || deepEqual(item[k], stored[k]));
}

export function valueAt(obj: unknown, path: PathElement[]): { found: boolean; value?: unknown } {
  let cur = obj;
  for (const el of path) {
    const at = locate(cur, el);
    if (!at) return { found: false };
    cur = 'key' in at ? at.in[at.key] : at.in[at.index];
  }
  return { found: true, value: cur };
}

/** Whether `next` holds something else at `path` than `prev`: a new member, or a leaf with another value. */
export function changedAt(prev: unknown, next: unknown, path: PathElement[]): boolean {
  const was = valueAt(prev, path);
  if (!was.found) return true;
  const last = path[path.length - 1];
  // An existing list item is unchanged as a member; its own fields are compared as paths of their own.
  if (last.startsWith('k:') || last.startsWith('v:')) return false;
  return !deepEqual(was.value, valueAt(next, path).value);
}
