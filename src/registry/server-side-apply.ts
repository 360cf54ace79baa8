// Server-side apply: merges an applied configuration into the live object by the schema's list and map
// types, records the fields each manager applied in metadata.managedFields, removes fields a manager
// stopped applying, and refuses (409) to change fields another manager owns unless forced.
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import { badRequest, statusError } from './errors';
import {
  changedAt, childSchema, fieldSetOf, fromFieldsV1, isAtomicMap, itemSchema, listTypeOf, locate, ownsUnder, pathOf, printPath, sameKey,
  toFieldsV1, valueAt, type PathElement,
} from './field-set';
import { clone, deepEqual, isJsonObject } from './object-meta';
import type { KubeObject } from './resource-types';
import type { KindSchema, Schema, SchemaSource } from './schema-types';

type Obj = Record<string, unknown>;

export interface ApplyOptions {
  manager: string;
  force: boolean;
  /** The group/version the request is for: a manager's entry records it. */
  apiVersion: string;
  now: string;
  /** Kinds with a status subresource: status is not applied through the main resource. */
  skipStatus: boolean;
  /** An apply on the status subresource: only status is applied, and the manager's entry says so. */
  subresource?: 'status';
}

interface Tracked { entry: ManagedFieldsEntry; set: Set<string>; changed: boolean }

/** Nulls in an applied configuration say nothing, as an absent field says nothing. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(withoutNulls);
  if (!isJsonObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = withoutNulls(x);
  return out;
}

/**
 * The object that results from `manager` applying `applied` to `live` (undefined: the object does not
 * exist yet), with its managedFields updated. Throws 409 listing the conflicting fields.
 */
export function serverSideApply(live: KubeObject | undefined, appliedBody: KubeObject, schema: KindSchema, opts: ApplyOptions): KubeObject {
  if (appliedBody.metadata?.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  const body = withoutNulls(appliedBody) as KubeObject;
  // Through status, only status is applied: the rest of the body says nothing.
  const applied: KubeObject = opts.subresource === 'status' ? (body.status === undefined ? {} : { status: body.status }) : body;
  const { root, source } = schema;
  const newSet = fieldSetOf(applied, root, source, opts.skipStatus && opts.subresource !== 'status');
  const tracked: Tracked[] = (live?.metadata?.managedFields ?? []).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1), changed: false }));
  const mine = tracked.find((t) => t.entry.manager === opts.manager && t.entry.operation === 'Apply' && (t.entry.subresource ?? '') === (opts.subresource ?? ''));
  const others = tracked.filter((t) => t !== mine);

  const base: KubeObject = live ? clone(live) : {};
  const conflicts: { owner: Tracked; key: string }[] = [];
  for (const key of newSet) {
    if (!changedAt(live, applied, pathOf(key))) continue;
    for (const o of others) if (o.set.has(key)) conflicts.push({ owner: o, key });
  }
  if (conflicts.length && !opts.force) throw conflictError(conflicts.map((c) => ({ manager: c.owner.entry, path: printPath(c.key) })));
  for (const c of conflicts) { c.owner.set.delete(c.key); c.owner.changed = true; }

  const merged = merge(base, applied, root, source) as KubeObject;
  // Fields this manager applied before and no longer does go, unless someone else still owns them.
  const dropped = [...(mine?.set ?? [])].filter((k) => !ownsUnder(newSet, k) && !others.some((o) => ownsUnder(o.set, k)));
  // Shallowest first: a dropped list item goes whole, before its own fields could be picked out of it.
  for (const key of dropped.sort((a, b) => pathOf(a).length - pathOf(b).length)) removeAt(merged, pathOf(key));

  const entry: ManagedFieldsEntry = {
    manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, time: opts.now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(newSet),
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  const entries: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const t of tracked) {
    if (t === mine) { if (newSet.size) entries.push(entry); placed = true; continue; }
    if (!t.changed) { entries.push(t.entry); continue; }
    if (t.set.size) entries.push({ ...t.entry, fieldsV1: toFieldsV1(t.set) });
  }
  // A manager left owning nothing has no entry, as upstream drops empty ones.
  if (!placed && newSet.size) entries.push(entry);
  (merged.metadata ??= {}).managedFields = entries;
  return merged;
}

/** The merged value: maps and structs field by field, keyed lists item by item, sets by union, anything else replaced. */
function merge(live: unknown, applied: unknown, s: Schema | undefined, source: SchemaSource): unknown {
  if (isJsonObject(applied) && isJsonObject(live) && !isAtomicMap(s)) {
    const out: Obj = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = merge(live[k], v, childSchema(s, k, source), source);
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const lt = listTypeOf(s);
    if (lt.type === 'map' && applied.every(isJsonObject) && live.every(isJsonObject)) {
      const is = itemSchema(s, source);
      const out: Obj[] = [...live];
      for (const item of applied) {
        const i = out.findIndex((x) => sameKey(item, x, lt.keys));
        if (i >= 0) out[i] = merge(out[i], item, is, source) as Obj;
        else out.push(clone(item));
      }
      return out;
    }
    if (lt.type === 'set') {
      const out = [...live];
      for (const x of applied) if (!out.some((y) => deepEqual(x, y))) out.push(clone(x));
      return out;
    }
  }
  return clone(applied);
}

function removeAt(obj: unknown, path: PathElement[]): void {
  const parent = valueAt(obj, path.slice(0, -1));
  if (!parent.found) return;
  const at = locate(parent.value, path[path.length - 1]);
  if (!at) return;
  if ('key' in at) delete at.in[at.key];
  else at.in.splice(at.index, 1);
}

function printManager(e: ManagedFieldsEntry): string {
  const name = JSON.stringify(e.manager ?? '');
  const who = e.subresource ? `${name} with subresource ${JSON.stringify(e.subresource)}` : name;
  if (e.operation !== 'Update') return who;
  return e.time ? `${who} using ${e.apiVersion} at ${e.time}` : `${who} using ${e.apiVersion}`;
}

/** 409 in upstream's words: one conflict inline, several grouped by manager. */
function conflictError(conflicts: { manager: ManagedFieldsEntry; path: string }[]) {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: c.path }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${conflicts[0].path}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = printManager(c.manager);
      byManager.set(m, [...(byManager.get(m) ?? []), c.path]);
    }
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) lines.push(`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`));
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return statusError(409, 'Conflict', message, { causes });
}
