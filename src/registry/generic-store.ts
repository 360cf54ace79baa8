// The generic store: one implementation of create/get/list/update/delete/watch for every kind, on
// etcd transactions that compare mod revisions (never a lost update). Per-kind rules come from the
// resource's Strategy; reads that allow it are served from the watch cache.
import type { Etcd3 } from 'etcd3';
import type { DeleteOptions, ObjectMeta } from 'kubernetes-types/meta/v1';
import { groupVersion, type KubeObject, type RequestUser, type ResourceDef } from './resource-types';
import { cacheSpecOf, toCached, type CacheFeed } from './cache-feed';
import type { CachedObject } from './watch-event';
import type { Predicate } from './resource-cache';
import { decodeFromStorage, encodeForStorage, storageKey, storagePrefixKey, withResourceVersion } from './etcd-codec';
import { alreadyExists, badRequest, conflict, gone, invalid, notFound, staleConflict, statusError, type GroupResource } from './errors';
import { clone, deepEqual, generateName, newUid, nowTimestamp, specOf } from './object-meta';
import { required, type FieldError } from './field-error';

export interface WriteOptions { dryRun?: boolean; user?: RequestUser }

/** A written object and its JSON as served (the stored text with resourceVersion spliced in). */
export interface Written { obj: KubeObject; json: string }

export interface ListOptions {
  predicate: Predicate;
  /** True when the predicate is not trivially true (selectors given). */
  filtered: boolean;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult { items: string[]; resourceVersion: string; continueToken?: string; remainingItemCount?: number }

export type UpdateFn = (current: KubeObject) => KubeObject | Promise<KubeObject>;

export interface UpdateOptions extends WriteOptions {
  subresource?: 'status' | 'approval' | 'scale' | 'binding' | 'finalize';
  /** Create when absent (PUT on a missing object for kinds that allow it). */
  allowCreate?: boolean;
}

interface Current { obj: KubeObject; revision: number }

type Meta = NonNullable<KubeObject['metadata']>;

/** `meta` with the `fields` of `stored` put back (absent where `stored` has none). */
function withStoredFields(meta: Meta, stored: Meta, fields: (keyof ObjectMeta)[]): Meta {
  const out: Record<string, unknown> = { ...meta };
  for (const f of fields) {
    if (stored[f] === undefined) delete out[f];
    else out[f] = stored[f];
  }
  return out as Meta;
}

interface ContinueToken { v: string; rv: number; start: string }

export class GenericStore {
  readonly gr: GroupResource;

  /** This entry's apiVersion, and the prefix of a stored text already in it (no conversion needed). */
  private readonly servedApiVersion: string;
  private readonly servedPrefix: string;

  /** Parsed once per cached version, for cachedObjects (its callers only read them). */
  private readonly parsed = new WeakMap<CachedObject, KubeObject>();

  constructor(private readonly etcd: Etcd3, private readonly feed: CacheFeed, readonly def: ResourceDef) {
    this.gr = { group: def.group, resource: def.plural };
    this.servedApiVersion = groupVersion(def);
    this.servedPrefix = `{"apiVersion":${JSON.stringify(this.servedApiVersion)},`;
  }

  /** A stored object's JSON as this entry serves it (the text itself for kinds without a conversion). */
  servedJson(json: string): string {
    const c = this.def.conversion;
    if (!c || json.startsWith(this.servedPrefix)) return json;
    const obj = JSON.parse(json) as KubeObject;
    if (obj.apiVersion === this.servedApiVersion) return json;
    return JSON.stringify(c.fromStorage(obj));
  }

  /** A stored object as this entry serves it. */
  private served(obj: KubeObject): KubeObject {
    const c = this.def.conversion;
    return !c || obj.apiVersion === this.servedApiVersion ? obj : c.fromStorage(obj);
  }

  /** A written object and its JSON as this entry serves them. */
  private servedWritten(w: Written): Written {
    if (!this.def.conversion || w.obj.apiVersion === this.servedApiVersion) return w;
    const obj = this.def.conversion.fromStorage(w.obj);
    return { obj, json: JSON.stringify(obj) };
  }

  /** An object from a request in storage form, which the strategy and etcd see. */
  private toStorage(obj: KubeObject): KubeObject {
    const c = this.def.conversion;
    return !c || obj.apiVersion === c.storageApiVersion ? obj : c.toStorage(obj);
  }

  private key(ns: string | undefined, name: string): string {
    return storageKey(this.def.storagePrefix, this.def.namespaced ? ns : undefined, name);
  }

  private get cache() {
    const c = this.feed.cache(this.def.storagePrefix);
    if (!c) throw new Error(`no watch cache for ${this.def.storagePrefix}`);
    return c;
  }

  private async read(ns: string | undefined, name: string): Promise<Current | undefined> {
    const res = await this.etcd.get(this.key(ns, name)).exec();
    const kv = res.kvs[0];
    if (!kv) return undefined;
    const obj = decodeFromStorage(kv.value, kv.mod_revision);
    return { obj, revision: Number(kv.mod_revision) };
  }

  /** resourceVersion "0" (or any non-empty) reads the cache, as upstream; "" is a quorum read from etcd. */
  async get(ns: string | undefined, name: string, resourceVersion?: string): Promise<string> {
    if (resourceVersion) {
      const rv = Number(resourceVersion);
      if (rv > 0) await this.feed.waitFor(rv);
      const hit = this.cache.get(this.key(ns, name));
      if (!hit) throw notFound(this.gr, name);
      return this.servedJson(hit.json);
    }
    const cur = await this.read(ns, name);
    if (!cur) throw notFound(this.gr, name);
    return JSON.stringify(this.served(cur.obj));
  }

  /** The watch cache's entry for an object, if it holds one (no read from etcd). */
  cachedObject(ns: string | undefined, name: string): CachedObject | undefined {
    return this.cache.get(this.key(ns, name));
  }

  /**
   * Objects from the watch cache once it holds this apiserver's own writes (see CacheFeed.readOwnWrites):
   * for lookups on the write path (admission), where a consistent list would cost an etcd round trip
   * per request. The objects are shared between calls: callers must not change them.
   */
  async cachedObjects(ns: string | undefined, predicate: Predicate): Promise<KubeObject[]> {
    await this.feed.readOwnWrites();
    return this.cache.list(this.def.namespaced ? ns : undefined, predicate).map((o) => {
      let obj = this.parsed.get(o);
      if (!obj) this.parsed.set(o, obj = JSON.parse(this.servedJson(o.json)) as KubeObject);
      return obj;
    });
  }

  async getObject(ns: string | undefined, name: string): Promise<KubeObject> {
    const cur = await this.read(ns, name);
    if (!cur) throw notFound(this.gr, name);
    return this.served(cur.obj);
  }

  async list(ns: string | undefined, opts: ListOptions): Promise<ListResult> {
    const namespace = this.def.namespaced ? ns : undefined;
    if (opts.continueToken || opts.resourceVersionMatch === 'Exact' || (opts.limit && opts.limit > 0 && opts.resourceVersion !== '0')) {
      return this.listFromEtcd(namespace, opts);
    }
    if (opts.resourceVersion && opts.resourceVersion !== '0') {
      const rv = Number(opts.resourceVersion);
      if (!Number.isFinite(rv)) throw badRequest(`invalid resource version: ${opts.resourceVersion}`);
      await this.feed.waitFor(rv);
    } else if (!opts.resourceVersion) {
      // A consistent read: the cache must have caught up with etcd's current revision.
      const head = await this.etcd.get('/registry/\u0000').exec();
      await this.feed.waitFor(Number(head.header.revision));
    }
    const items = this.cache.list(namespace, opts.predicate).map((o) => this.servedJson(o.json));
    return { items, resourceVersion: String(this.feed.revision) };
  }

  private async listFromEtcd(namespace: string | undefined, opts: ListOptions): Promise<ListResult> {
    const prefix = storagePrefixKey(this.def.storagePrefix, namespace);
    let revision = 0;
    let start = prefix;
    if (opts.continueToken) {
      const tok = decodeContinue(opts.continueToken);
      revision = tok.rv; // 0: an inconsistent continuation, read at the newest revision
      start = prefix + tok.start;
    } else if (opts.resourceVersion && opts.resourceVersionMatch === 'Exact') {
      revision = Number(opts.resourceVersion);
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const end = prefixEnd(prefix);
    const spec = cacheSpecOf(this.def);
    const items: string[] = [];
    let lastKey = '';
    let more = false;
    let remaining: number | undefined;
    for (;;) {
      const page = limit ? Math.max(limit, 100) : 0;
      let res;
      try {
        let q = this.etcd.getAll().inRange({ start, end });
        if (revision) q = q.revision(revision);
        if (page) q = q.limit(page + 1);
        res = await q.exec();
      } catch (err) {
        if (String(err).includes('compacted')) {
          if (!opts.continueToken) throw gone(`too old resource version: ${revision}`);
          // As upstream: offer a token that carries on from the same key at the newest revision.
          const e = gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
          e.status.metadata = { continue: encodeContinue({ v: 'meta.k8s.io/v1', rv: 0, start: start.slice(prefix.length) }) };
          throw e;
        }
        throw err;
      }
      if (!revision) revision = Number(res.header.revision);
      const kvs = page ? res.kvs.slice(0, page) : res.kvs;
      const pageMore = page > 0 && res.kvs.length > page;
      let i = 0;
      for (; i < kvs.length; i++) {
        const kv = kvs[i];
        const key = kv.key.toString();
        lastKey = key;
        const obj = decodeFromStorage(kv.value, kv.mod_revision);
        const cached = toCached(spec, key, obj, Number(kv.mod_revision));
        if (opts.predicate(cached)) items.push(this.servedJson(cached.json));
        if (limit && items.length >= limit) { i++; break; }
      }
      if (limit && items.length >= limit) {
        more = i < kvs.length || pageMore;
        if (more && !opts.filtered) remaining = Number(res.count) - i;
        break;
      }
      if (!pageMore) break;
      start = lastKey + '\u0000';
    }
    const result: ListResult = { items, resourceVersion: String(revision) };
    if (more) {
      result.continueToken = encodeContinue({ v: 'meta.k8s.io/v1', rv: revision, start: lastKey.slice(prefix.length) + '\u0000' });
      if (remaining !== undefined && remaining > 0) result.remainingItemCount = remaining;
    }
    return result;
  }

  /** Creates `obj`, which the store takes over and fills in (callers pass a freshly decoded object). */
  async create(ns: string | undefined, obj: KubeObject, opts: WriteOptions = {}): Promise<Written> {
    return this.servedWritten(await this.createStored(ns, this.toStorage(obj), opts));
  }

  private async createStored(ns: string | undefined, obj: KubeObject, opts: WriteOptions): Promise<Written> {
    const meta = (obj.metadata ??= {});
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (this.def.namespaced) meta.namespace = ns;
    else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    if (!meta.name) throw invalid(this.def.group, this.def.kind, '', [required('metadata.name', 'name or generateName is required')]);
    meta.uid = newUid();
    meta.creationTimestamp = nowTimestamp();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.def.hasGeneration) meta.generation = 1;
    else delete meta.generation;
    const s = this.def.strategy;
    s.defaults?.(obj);
    if (this.def.subresources.status && s.prepareForCreate === undefined) delete obj.status;
    await s.prepareForCreate?.(obj, { user: opts.user });
    this.check(obj, s.validate?.(obj));
    const finish = s.beginCreate?.(obj);
    let stored = false;
    try {
      if (opts.dryRun) return { obj, json: JSON.stringify(obj) };
      const key = this.key(ns, meta.name);
      const { text, value, expectation } = this.encode(key, obj);
      let revision: string | undefined;
      try {
        const res = await this.etcd.if(key, 'Create', '==', 0).then(this.etcd.put(key).value(value)).commit();
        if (!res.succeeded) throw alreadyExists(this.gr, meta.name);
        revision = res.header.revision;
      } finally {
        expectation.done(revision === undefined ? undefined : Number(revision));
      }
      stored = true;
      return this.written(obj, text, revision);
    } finally {
      finish?.(stored);
    }
  }

  /** The storage form of `obj` for a write at `key`, announced to the watch cache (see CacheFeed.expectWrite). */
  private encode(key: string, obj: KubeObject) {
    const text = encodeForStorage(obj);
    const value = Buffer.from(text);
    return { text, value, expectation: this.feed.expectWrite(key, obj, text, value) };
  }

  /** Completes a successful write: the object gets its resourceVersion, the JSON served has it spliced in. */
  private written(obj: KubeObject, text: string, revision: string): Written {
    (obj.metadata ??= {}).resourceVersion = revision;
    return { obj, json: withResourceVersion(text, revision) };
  }

  private check(obj: KubeObject, errs: FieldError[] | undefined): void {
    if (errs && errs.length) throw invalid(this.def.group, this.def.kind, obj.metadata?.name ?? '', errs);
  }

  /**
   * Read-modify-write with optimistic concurrency. `fn` may run more than once when another writer
   * gets in between; a resourceVersion the caller pinned is a precondition and fails with 409 instead.
   */
  async update(ns: string | undefined, name: string, fn: UpdateFn, opts: UpdateOptions = {}): Promise<Written & { created: boolean }> {
    if (!this.def.conversion) return this.updateStored(ns, name, fn, opts);
    const r = await this.updateStored(ns, name, async (cur) => this.toStorage(await fn(this.served(cur))), opts);
    return { ...this.servedWritten(r), created: r.created };
  }

  private async updateStored(ns: string | undefined, name: string, fn: UpdateFn, opts: UpdateOptions): Promise<Written & { created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const cur = await this.read(ns, name);
      if (!cur) {
        if (!opts.allowCreate) throw notFound(this.gr, name);
        const next = await fn({ metadata: { name, namespace: ns } });
        return { ...await this.createStored(ns, next, opts), created: true };
      }
      const incoming = clone(await fn(clone(cur.obj)));
      const pinned = incoming.metadata?.resourceVersion;
      if (pinned && pinned !== String(cur.revision)) throw staleConflict(this.gr, name);
      const next = this.prepareUpdate(ns, name, incoming, cur.obj, opts.subresource);
      if (deepEqual(withoutRv(next), withoutRv(cur.obj))) return { obj: cur.obj, json: JSON.stringify(cur.obj), created: false };
      if (opts.dryRun && !this.def.strategy.beginUpdate) return { obj: next, json: JSON.stringify(next), created: false };
      const finish = this.def.strategy.beginUpdate?.(next, cur.obj);
      let done: Written | undefined;
      try {
        if (opts.dryRun) return { obj: next, json: JSON.stringify(next), created: false };
        done = await this.writeOrFinalize(this.key(ns, name), next, cur.revision);
      } finally {
        finish?.(done !== undefined);
      }
      if (done) return { ...done, created: false };
      // A patch carries the revision it was applied to, so the retry re-applies it to the fresh object;
      // an update body that pinned its own revision fails the check above on the next pass.
      if (attempt > 20) throw staleConflict(this.gr, name);
    }
  }

  private prepareUpdate(ns: string | undefined, name: string, incoming: KubeObject, old: KubeObject, sub?: string): KubeObject {
    const meta = (incoming.metadata ??= {});
    if (meta.name !== undefined && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (this.def.namespaced && meta.namespace !== undefined && meta.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const oldMeta = old.metadata ?? {};
    let next: KubeObject;
    if (sub === 'binding') {
      // Bindings write spec.nodeName, which the pod's update rules forbid: they bypass the strategy.
      return incoming;
    }
    if (sub === 'finalize') {
      // finalize changes spec.finalizers only (the namespace controller's last step).
      const spec = { ...(old.spec as Record<string, unknown> | undefined), finalizers: (incoming.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [] };
      return { ...clone(old), spec };
    }
    const statusLike = sub === 'status' || sub === 'approval';
    if (statusLike) {
      // A status write never changes spec; of metadata it keeps what the kind's strategy says (statusKeepsStoredMetadata).
      next = { ...clone(old), status: incoming.status };
      const kept = this.def.strategy.statusKeepsStoredMetadata ?? [];
      if (kept !== 'all') next.metadata = withStoredFields(incoming.metadata ?? {}, next.metadata ?? {}, kept);
      // managedFields follow the request even where metadata is reset: they record what this status write changed.
      const managed = incoming.metadata?.managedFields;
      if (managed !== undefined) (next.metadata ??= {}).managedFields = managed;
    } else {
      next = incoming;
      if (this.def.subresources.status) {
        if (old.status === undefined) delete next.status; else next.status = clone(old.status);
      }
    }
    const m = (next.metadata ??= {});
    m.name = name;
    if (this.def.namespaced) m.namespace = ns;
    m.uid = oldMeta.uid;
    m.creationTimestamp = oldMeta.creationTimestamp;
    m.deletionTimestamp = oldMeta.deletionTimestamp;
    m.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    if (m.deletionTimestamp === undefined) delete m.deletionTimestamp;
    if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    // As upstream: a write that leaves managedFields out keeps the stored ones; an empty list clears them.
    if (m.managedFields === undefined && oldMeta.managedFields !== undefined) m.managedFields = oldMeta.managedFields;
    else if (m.managedFields?.length === 0) delete m.managedFields;
    const s = this.def.strategy;
    const hooks = sub ? s.subresourceUpdates?.[sub] : undefined;
    // Defaulting applies to every object a request carries, status writes included.
    s.defaults?.(next);
    if (!statusLike) s.prepareForUpdate?.(next, old);
    hooks?.prepare?.(next, old);
    if (this.def.hasGeneration) {
      const g = oldMeta.generation ?? 1;
      m.generation = !statusLike && !deepEqual(specOf(next), specOf(old)) ? g + 1 : g;
    }
    const validateUpdate = hooks?.validateUpdate ?? s.validateUpdate;
    const errs = [...(s.validate?.(next) ?? []), ...(validateUpdate?.(next, old) ?? [])];
    this.check(next, errs);
    return next;
  }

  /** Writes `next` if still at `revision`; an object being deleted whose last finalizer went is removed. */
  private async writeOrFinalize(key: string, next: KubeObject, revision: number): Promise<Written | undefined> {
    const m = next.metadata ?? {};
    if (m.deletionTimestamp && (!m.finalizers || m.finalizers.length === 0) && !this.gracePending(next) &&
      !this.def.strategy.deletionPending?.(next)) {
      const res = await this.etcd.if(key, 'Mod', '==', revision).then(this.etcd.delete().key(key)).commit();
      if (!res.succeeded) return undefined;
      this.feed.wrote(Number(res.header.revision));
      m.resourceVersion = res.header.revision;
      await this.def.strategy.afterDelete?.(next);
      return { obj: next, json: JSON.stringify(next) };
    }
    const { text, value, expectation } = this.encode(key, next);
    let written: string | undefined;
    try {
      const res = await this.etcd.if(key, 'Mod', '==', revision).then(this.etcd.put(key).value(value)).commit();
      if (res.succeeded) written = res.header.revision;
    } finally {
      expectation.done(written === undefined ? undefined : Number(written));
    }
    return written === undefined ? undefined : this.written(next, text, written);
  }

  /** A graceful deletion still running (a pod's kubelet has not confirmed with grace 0). */
  private gracePending(obj: KubeObject): boolean {
    return (obj.metadata?.deletionGracePeriodSeconds ?? 0) > 0;
  }

  async delete(ns: string | undefined, name: string, options: DeleteOptions = {}, opts: WriteOptions = {}):
    Promise<{ obj: KubeObject; finished: boolean }> {
    const r = await this.deleteStored(ns, name, options, opts);
    return { ...r, obj: this.served(r.obj) };
  }

  private async deleteStored(ns: string | undefined, name: string, options: DeleteOptions, opts: WriteOptions):
    Promise<{ obj: KubeObject; finished: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const cur = await this.read(ns, name);
      if (!cur) throw notFound(this.gr, name);
      const obj = clone(cur.obj);
      const meta = (obj.metadata ??= {});
      const pre = options.preconditions;
      if (pre?.uid && pre.uid !== meta.uid) {
        throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== String(cur.revision)) {
        throw conflict(this.gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.revision}`);
      }
      // Asked first, so a hook that holds the object by adding its own finalizer (CRDs) is honoured.
      const held = this.def.strategy.deletionPending?.(obj) ?? false;
      const finalizers = new Set(meta.finalizers ?? []);
      const policy = options.propagationPolicy ?? (options.orphanDependents ? 'Orphan' : undefined);
      // As upstream: the policy asked for replaces the other garbage-collector finalizer (the GC removes them).
      if (policy) {
        finalizers.delete('foregroundDeletion');
        finalizers.delete('orphan');
        if (policy === 'Foreground') finalizers.add('foregroundDeletion');
        if (policy === 'Orphan') finalizers.add('orphan');
      }
      const requested = options.gracePeriodSeconds ?? undefined;
      const grace = this.def.strategy.deletionGracePeriod?.(obj, requested) ?? 0;
      const alreadyDeleting = meta.deletionTimestamp !== undefined;
      const refusal = alreadyDeleting && held ? this.def.strategy.heldDeleteConflict?.(obj) : undefined;
      if (refusal) throw conflict(this.gr, name, refusal);
      const key = this.key(ns, name);
      if (finalizers.size > 0 || grace > 0 || held) {
        // Graceful or finalized deletion: mark the object and let its owners finish the job.
        if (alreadyDeleting && grace >= (meta.deletionGracePeriodSeconds ?? 0) && sameSet(finalizers, meta.finalizers)) {
          return { obj: cur.obj, finished: false };
        }
        meta.finalizers = [...finalizers];
        if (meta.finalizers.length === 0) delete meta.finalizers;
        if (!alreadyDeleting || grace < (meta.deletionGracePeriodSeconds ?? 0)) {
          meta.deletionTimestamp = nowTimestamp(grace);
          meta.deletionGracePeriodSeconds = grace;
        }
        if (opts.dryRun) return { obj, finished: false };
        const done = (await this.writeOrFinalize(key, obj, cur.revision))?.obj;
        if (done) return { obj: done, finished: done.metadata?.resourceVersion !== undefined && !done.metadata?.finalizers?.length && !this.gracePending(done) && !held };
      } else {
        if (opts.dryRun) return { obj: cur.obj, finished: true };
        const res = await this.etcd.if(key, 'Mod', '==', cur.revision).then(this.etcd.delete().key(key)).commit();
        if (res.succeeded) {
          this.feed.wrote(Number(res.header.revision));
          meta.resourceVersion = res.header.revision;
          await this.def.strategy.afterDelete?.(obj);
          return { obj, finished: true };
        }
      }
      if (pre?.resourceVersion || attempt > 20) throw staleConflict(this.gr, name);
    }
  }

  /** Current objects in the cache matching `predicate`, at the cache's revision (for watch start), as stored: see servedJson. */
  snapshot(ns: string | undefined, predicate: Predicate): { items: CachedObject[]; revision: number } {
    return { items: this.cache.list(this.def.namespaced ? ns : undefined, predicate), revision: this.feed.revision };
  }

  resourceCache() { return this.cache; }

  /** Throws 410 when etcd has compacted past `revision`: history from there is gone, as upstream reports. */
  async ensureNotCompacted(revision: number): Promise<void> {
    try {
      await this.etcd.get('/registry/\u0000').revision(revision).exec();
    } catch (err) {
      if (String(err).includes('compacted')) throw gone(`too old resource version: ${revision} (${this.feed.revision})`);
      throw err;
    }
  }
  feedRevision(): number { return this.feed.revision; }
  waitFor(rev: number): Promise<void> { return this.feed.waitFor(rev); }
}

function withoutRv(o: KubeObject): KubeObject {
  if (!o.metadata) return o;
  const { resourceVersion: _r, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}

function sameSet(a: Set<string>, b: string[] | undefined): boolean {
  const bs = new Set(b ?? []);
  return a.size === bs.size && [...a].every((x) => bs.has(x));
}

function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t: unknown = JSON.parse(Buffer.from(s, 'base64url').toString());
    if (typeof t === 'object' && t !== null && 'rv' in t && 'start' in t) {
      const r = t as ContinueToken;
      if (typeof r.rv === 'number' && typeof r.start === 'string') return r;
    }
  } catch { /* fall through to the upstream message */ }
  throw statusError(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
