// Strategic merge patch with upstream's semantics, driven by the x-kubernetes-patch-* extensions in
// the OpenAPI definitions: keyed list merges, $patch, $retainKeys, $deleteFromPrimitiveList and
// $setElementOrder, and upstream's ordering of merged lists.
import { isSchema, resolveSchema, type Schema, type SchemaSource } from './schema-types';
import { isJsonObject } from './object-meta';

type Obj = Record<string, unknown>;

const directiveKey = '$patch';
const retainKeysKey = '$retainKeys';
const deletePrefix = '$deleteFromPrimitiveList/';
const orderPrefix = '$setElementOrder/';

/** Why a patch failed; patch.ts turns each kind into the status upstream answers with. */
export class SmpError extends Error {
  constructor(readonly kind: 'badRequest' | 'invalid' | 'internal', message: string) { super(message); }
}

// Messages are upstream's (mergepatch package), since clients may match on them.
const errBadPrimitiveList = () => new SmpError('badRequest', 'invalid patch format of primitive list');
const errBadRetainKeys = () => new SmpError('badRequest', 'invalid patch format of retainKeys');
const errBadOrderList = () => new SmpError('badRequest', 'invalid patch format of setElementOrder list');
const errRetainKeysMismatch = () => new SmpError('invalid', "patch content doesn't match retainKeys list");
const errListOfLists = () => new SmpError('invalid', 'lists of lists are not supported');
const errNoMergeKey = (m: Obj, key: string) => new SmpError('internal', `map: ${goValue(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: unknown, m: Obj) => new SmpError('internal', `unknown patch type: ${goValue(t)} in map: ${goValue(m)}`);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a as Obj);
  const kb = Object.keys(b as Obj);
  return ka.length === kb.length && ka.every((k) => k in (b as Obj) && deepEqual((a as Obj)[k], (b as Obj)[k]));
}

/** Go's %v rendering of decoded JSON, used in the few messages that embed a value. */
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isJsonObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

/** Values copied from the patch lose directives and nulls, since there is nothing for them to act on. */
function cleanCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cleanCopy);
  if (!isJsonObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || k === directiveKey || k === retainKeysKey || k.startsWith(deletePrefix) || k.startsWith(orderPrefix)) continue;
    out[k] = cleanCopy(x);
  }
  return out;
}

interface ListMeta { strategies: string[]; mergeKey?: string }

function metaOf(prop: Schema | undefined): ListMeta {
  const strategy = prop?.['x-kubernetes-patch-strategy'];
  const mergeKey = prop?.['x-kubernetes-patch-merge-key'];
  return {
    strategies: typeof strategy === 'string' ? strategy.split(',') : [],
    mergeKey: typeof mergeKey === 'string' ? mergeKey : undefined,
  };
}

export class StrategicMerger {
  constructor(private readonly source: SchemaSource) {}

  /** Applies `patch` to `original` (neither is modified) under the struct schema `schema`. */
  apply(original: Obj, patch: Obj, schema: Schema | undefined): Obj {
    return this.mergeMap(original, patch, schema);
  }

  private resolve(s: Schema | undefined): Schema | undefined {
    return resolveSchema(s, this.source);
  }

  private fieldSchema(struct: Schema | undefined, key: string): Schema | undefined {
    const s = this.resolve(struct);
    if (!s) return undefined;
    const p = s.properties?.[key];
    if (p) return p;
    return isSchema(s.additionalProperties) ? s.additionalProperties : undefined;
  }

  private itemSchema(list: Schema | undefined): Schema | undefined {
    const s = this.resolve(list);
    return s && isSchema(s.items) ? s.items : undefined;
  }

  private mergeMap(original: Obj, patchIn: Obj, schema: Schema | undefined): Obj {
    if (directiveKey in patchIn) {
      const d = patchIn[directiveKey];
      if (d === 'replace') return cleanCopy(patchIn) as Obj;
      if (d === 'delete') return {};
      if (d !== 'merge') throw errBadPatchType(d, patchIn);
    }
    const result: Obj = { ...original };
    const patch: Obj = { ...patchIn };
    delete patch[directiveKey];

    if (retainKeysKey in patch) this.applyRetainKeys(result, patch);
    this.applyElementOrders(result, patch, schema);

    for (const [k, v] of Object.entries(patch)) {
      if (k.startsWith(orderPrefix)) continue;
      if (k.startsWith(deletePrefix)) {
        if (!Array.isArray(v)) throw errBadPrimitiveList();
        const field = k.slice(deletePrefix.length);
        const current = result[field];
        if (Array.isArray(current)) result[field] = current.filter((x) => !v.some((y) => deepEqual(x, y)));
        continue;
      }
      if (v === null) { delete result[k]; continue; }
      if (!(k in result)) { result[k] = cleanCopy(v); continue; }
      const orig = result[k];
      const prop = this.fieldSchema(schema, k);
      if (isJsonObject(orig) && isJsonObject(v)) {
        result[k] = metaOf(prop).strategies.includes('replace') ? cleanCopy(v) : this.mergeMap(orig, v, prop);
      } else if (Array.isArray(orig) && Array.isArray(v)) {
        result[k] = this.mergeListField(orig, v, prop);
      } else {
        result[k] = cleanCopy(v);
      }
    }
    return result;
  }

  private mergeListField(orig: unknown[], patch: unknown[], prop: Schema | undefined): unknown[] {
    const meta = metaOf(prop);
    if (!meta.strategies.includes('merge')) return cleanCopy(patch) as unknown[];
    return this.mergeList(orig, patch, this.itemSchema(prop), meta.mergeKey);
  }

  private applyRetainKeys(result: Obj, patch: Obj): void {
    const keep = patch[retainKeysKey];
    delete patch[retainKeysKey];
    if (!Array.isArray(keep)) throw errBadRetainKeys();
    const allowed = new Set(keep.filter((k): k is string => typeof k === 'string'));
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(deletePrefix) || k.startsWith(orderPrefix)) continue;
      if (!allowed.has(k)) throw errRetainKeysMismatch();
    }
    for (const k of Object.keys(result)) if (!allowed.has(k)) delete result[k];
  }

  /** `$setElementOrder/<field>`: merge the list now, then order it as the client listed it. */
  private applyElementOrders(result: Obj, patch: Obj, schema: Schema | undefined): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(orderPrefix)) continue;
      const order = patch[key];
      if (!Array.isArray(order)) throw errBadOrderList();
      const field = key.slice(orderPrefix.length);
      const prop = this.fieldSchema(schema, field);
      const meta = metaOf(prop);
      const origList = result[field];
      const patchList = patch[field];
      if (origList !== undefined && !Array.isArray(origList)) continue;
      if (patchList !== undefined && patchList !== null && !Array.isArray(patchList)) throw errBadOrderList();
      if (Array.isArray(patchList)) {
        const listed = (x: unknown) => order.some((o) => sameElement(o, x, meta.mergeKey));
        if (!patchList.filter((x) => !isJsonObject(x) || !(directiveKey in x)).every(listed)) throw errBadOrderList();
      }
      let merged: unknown[];
      if (Array.isArray(origList) && Array.isArray(patchList)) merged = this.mergeListField(origList, patchList, prop);
      else if (Array.isArray(patchList)) merged = cleanCopy(patchList) as unknown[];
      else if (Array.isArray(origList)) merged = origList;
      else continue;
      result[field] = orderElements(merged, order, Array.isArray(origList) ? origList : [], meta.mergeKey);
      delete patch[field];
    }
  }

  private mergeList(orig: unknown[], patch: unknown[], item: Schema | undefined, mergeKey: string | undefined): unknown[] {
    if (orig.length === 0 && patch.length === 0) return orig;
    const sample = [...orig, ...patch].find((x) => x !== null && x !== undefined);
    if (Array.isArray(sample)) throw errListOfLists();
    if (!isJsonObject(sample)) {
      const merged: unknown[] = [];
      for (const x of [...orig, ...patch]) if (!merged.some((y) => deepEqual(x, y))) merged.push(x);
      return orderElements(merged, patch, orig, undefined);
    }
    if (!mergeKey) throw new SmpError('internal', 'cannot merge lists without merge key');

    let base = [...orig];
    const plain: Obj[] = [];
    let replace = false;
    for (const el of patch) {
      if (!isJsonObject(el)) continue;
      if (!(directiveKey in el)) { plain.push(el); continue; }
      const d = el[directiveKey];
      if (d === 'delete') {
        if (!(mergeKey in el)) throw errNoMergeKey(el, mergeKey);
        base = base.filter((x) => !(isJsonObject(x) && deepEqual(x[mergeKey], el[mergeKey])));
      } else if (d === 'replace') {
        replace = true;
      } else if (d === 'merge') {
        throw new SmpError('internal', 'merging lists cannot yet be specified in the patch');
      } else {
        throw errBadPatchType(d, el);
      }
    }
    if (replace) return cleanCopy(plain) as unknown[];

    for (const el of plain) {
      if (!(mergeKey in el)) throw errNoMergeKey(el, mergeKey);
      const i = base.findIndex((x) => isJsonObject(x) && deepEqual(x[mergeKey], el[mergeKey]));
      if (i >= 0) base[i] = this.mergeMap(base[i] as Obj, el, item);
      else base.push(cleanCopy(el));
    }
    return orderElements(base, plain, orig, mergeKey);
  }
}

function sameElement(a: unknown, b: unknown, mergeKey: string | undefined): boolean {
  if (mergeKey) return isJsonObject(a) && isJsonObject(b) && deepEqual(a[mergeKey], b[mergeKey]);
  return deepEqual(a, b);
}

function indexIn(list: unknown[], x: unknown, mergeKey: string | undefined): number {
  return list.findIndex((y) => sameElement(y, x, mergeKey));
}

/**
 * Upstream's ordering of a merged list: elements named by the patch (or its $setElementOrder) come in
 * that order; elements only the server had are interleaved where the live object had them.
 */
function orderElements(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
  const fromPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const x of merged) (indexIn(patchOrder, x, mergeKey) >= 0 ? fromPatch : serverOnly).push(x);
  const byPatch = fromPatch
    .map((x, i) => ({ x, i, at: indexIn(patchOrder, x, mergeKey) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((e) => e.x);
  const byServer = serverOnly
    .map((x, i) => ({ x, i, at: indexIn(serverOrder, x, mergeKey) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((e) => e.x);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < byServer.length || j < byPatch.length) {
    if (j >= byPatch.length) { out.push(byServer[i++]); continue; }
    if (i >= byServer.length) { out.push(byPatch[j++]); continue; }
    const li = indexIn(serverOrder, byServer[i], mergeKey);
    const ri = indexIn(serverOrder, byPatch[j], mergeKey);
    if (li >= 0 && ri >= 0 && li < ri) out.push(byServer[i++]);
    else out.push(byPatch[j++]);
  }
  return out;
}
