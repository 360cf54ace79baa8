// Feeds every resource cache from one etcd watch on /registry/. One stream for all resources means
// the caches' revision follows etcd's own, so a consistent list or a watch from any fresh
// resourceVersion is served from memory without etcd progress notifications.
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import { ResourceCache } from './resource-cache';
import type { CacheEvent, CachedObject } from './watch-event';
import { withResourceVersion } from './etcd-codec';
import { objectFieldAttributes } from './field-selector';
import type { KubeObject, ResourceDef } from './resource-types';
import { timeout } from './errors';
import { logger } from '../log';

/** The cache's view of a resource: where it is stored and what its field selectors see. */
export function cacheSpecOf(def: ResourceDef): CacheSpec {
  return { prefix: def.storagePrefix, fieldAttributes: (o) => objectFieldAttributes(def, o) };
}

export interface CacheSpec {
  prefix: string;
  /** Every attribute field selectors match on, metadata ones included. */
  fieldAttributes(obj: KubeObject): Record<string, string>;
}

interface Entry { spec: CacheSpec; cache: ResourceCache; pending?: CacheEvent[] }

interface ExpectedWrite { obj: KubeObject; text: string; value: Buffer }

const loadPageSize = 500;
/** Own writes awaiting their watch event; far more than any number of requests in flight. */
const maxExpectedWrites = 10_000;
/** How long a reader waits for the feed before nudging it (events normally arrive in about a millisecond). */
const nudgeAfterMs = 50;

/** Where every resource's keys live, and the range the feed watches. */
const registryRoot = '/registry/';

/** A key in the watched range that belongs to no resource: writing it moves every cache to etcd's head. */
export const progressKey = '/registry/.kubets-progress';

export function toCached(spec: CacheSpec, key: string, obj: KubeObject, revision: number, json?: string): CachedObject {
  const meta = obj.metadata ?? {};
  return { key, namespace: meta.namespace ?? '', name: meta.name ?? '', revision, json: json ?? JSON.stringify(obj),
    labels: meta.labels ?? {}, fields: spec.fieldAttributes(obj) };
}

/** A cache entry straight from a stored value: parsed once, serialized never. */
function fromStored(spec: CacheSpec, key: string, value: Buffer, revision: number): CachedObject {
  const text = value.toString('utf8');
  return toCached(spec, key, JSON.parse(text) as KubeObject, revision, withResourceVersion(text, revision));
}

export class CacheFeed {
  private readonly entries = new Map<string, Entry>();
  private watcher: Watcher | undefined;
  /** The newest etcd revision every cache has seen. */
  revision = 0;
  private waiters: { revision: number; resolve: () => void }[] = [];
  private started = false;
  /**
   * This apiserver's own writes whose watch events have not arrived yet, keyed by etcd key: the event
   * then reuses the object in hand instead of parsing the value again. Registered before the write is
   * sent, since the event often arrives before the write's own reply.
   */
  private readonly expected = new Map<string, ExpectedWrite>();
  /** The newest revision this apiserver wrote (put or delete): reads that must see their own writes wait for it. */
  private ownRevision = 0;

  constructor(private readonly etcd: Etcd3) {}

  async start(specs: CacheSpec[]): Promise<void> {
    for (const s of specs) this.entries.set(s.prefix, { spec: s, cache: new ResourceCache(s.prefix, 0) });
    const byPrefix = new Map<string, CachedObject[]>();
    const rev = await this.loadPages(registryRoot, 0, (key, kv) => {
      const e = this.entryFor(key);
      if (!e) return;
      const list = byPrefix.get(e.spec.prefix) ?? [];
      list.push(fromStored(e.spec, key, kv.value, Number(kv.mod_revision)));
      byPrefix.set(e.spec.prefix, list);
    });
    for (const e of this.entries.values()) {
      e.cache.oldestRevision = rev;
      e.cache.load(byPrefix.get(e.spec.prefix) ?? []);
    }
    this.revision = rev;
    this.started = true;
    await this.watchFrom(rev + 1);
  }

  /** Adds a cache at run time (a CRD's resource), loaded at the feed's current revision. */
  async add(spec: CacheSpec): Promise<ResourceCache> {
    const existing = this.entries.get(spec.prefix);
    if (existing) return existing.cache;
    const at = this.revision;
    const entry: Entry = { spec, cache: new ResourceCache(spec.prefix, at), pending: [] };
    this.entries.set(spec.prefix, entry);
    if (!this.started) return entry.cache;
    const items: CachedObject[] = [];
    await this.loadPages(`/registry/${spec.prefix}/`, at, (key, kv) => {
      items.push(fromStored(spec, key, kv.value, Number(kv.mod_revision)));
    });
    entry.cache.load(items);
    for (const ev of entry.pending ?? []) if (ev.revision > at) entry.cache.apply(ev);
    entry.pending = undefined;
    return entry.cache;
  }

  /**
   * Reads a prefix page by page at one revision (the newest when `revision` is 0), so a large
   * store never meets gRPC's message size limit. Returns the revision read.
   */
  private async loadPages(prefix: string, revision: number, each: (key: string, kv: IKeyValue) => void): Promise<number> {
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    let start = prefix;
    let rev = revision;
    for (;;) {
      let q = this.etcd.getAll().inRange({ start, end }).limit(loadPageSize);
      if (rev) q = q.revision(rev);
      const res = await q.exec();
      if (!rev) rev = Number(res.header.revision);
      for (const kv of res.kvs) each(kv.key.toString(), kv);
      if (!res.more || res.kvs.length === 0) return rev;
      start = res.kvs[res.kvs.length - 1].key.toString() + '\u0000';
    }
  }

  remove(prefix: string): void { this.entries.delete(prefix); }

  cache(prefix: string): ResourceCache | undefined { return this.entries.get(prefix)?.cache; }

  /** Resolves once every event up to `revision` has reached the caches; 504 after 3 s, as upstream. */
  waitFor(revision: number): Promise<void> {
    if (this.revision >= revision) return Promise.resolve();
    setTimeout(() => { if (this.revision < revision) this.nudge(); }, nudgeAfterMs);
    return new Promise((resolve, reject) => {
      const w = { revision, resolve: () => { clearTimeout(t); resolve(); } };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(timeout(`Timeout: Too large resource version: ${revision}, current: ${this.revision}`));
      }, 3000);
      this.waiters.push(w);
    });
  }

  private nudging: Promise<unknown> | undefined;

  /**
   * Writes outside /registry (a shared etcd) advance etcd's revision without an event on our watch;
   * one write of our own under /registry comes back through the feed at or past that revision.
   */
  private nudge(): void {
    if (this.nudging) return;
    this.nudging = this.etcd.put(progressKey).value(String(Date.now())).exec()
      .catch((err: unknown) => logger.warn({ err: String(err) }, 'cache progress write failed'))
      .finally(() => { this.nudging = undefined; });
  }

  async stop(): Promise<void> { await this.watcher?.cancel(); }

  /**
   * Called by the store just before it writes `text` (the storage encoding of `obj`, as the bytes
   * `value`) at `key`. The store must not change `obj` afterwards, and calls `done` once etcd answered.
   */
  expectWrite(key: string, obj: KubeObject, text: string, value: Buffer): { done(revision: number | undefined): void } {
    const e = this.entryFor(key);
    if (!e) return { done: (revision) => { if (revision !== undefined) this.wrote(revision); } };
    // Bounded even if the feed stalls: a missing expectation only costs a parse.
    if (this.expected.size >= maxExpectedWrites) this.expected.clear();
    const w: ExpectedWrite = { obj, text, value };
    this.expected.set(key, w);
    return {
      done: (revision) => {
        if (revision !== undefined) this.wrote(revision);
        // A failed write has no event to wait for.
        else if (this.expected.get(key) === w) this.expected.delete(key);
      },
    };
  }

  /** Records a write of this apiserver (deletes included) that readOwnWrites must wait for. */
  wrote(revision: number): void {
    if (revision > this.ownRevision) this.ownRevision = revision;
  }

  /**
   * Resolves once the caches hold every write this apiserver has made: an informer's view, as
   * upstream's admission plugins read, that still sees a write this server just acknowledged.
   * Unlike a consistent read it costs no etcd round trip (it is normally already true).
   */
  readOwnWrites(): Promise<void> {
    return this.waitFor(this.ownRevision);
  }

  /** The entry for a Put event: built from the object this apiserver wrote when the value is its own, else parsed. */
  private putEntry(spec: CacheSpec, key: string, kv: IKeyValue, revision: number): CachedObject {
    const w = this.expected.get(key);
    // Identical bytes are the same object, whoever wrote them; anything else (an older event of the
    // key, another writer) is parsed and leaves the expectation for its own event.
    if (w !== undefined && w.value.equals(kv.value)) {
      this.expected.delete(key);
      return toCached(spec, key, w.obj, revision, withResourceVersion(w.text, revision));
    }
    return fromStored(spec, key, kv.value, revision);
  }

  private entryFor(key: string): Entry | undefined {
    // Prefixes nest (services/specs vs services/endpoints), so try the longest first. Every key is
    // `/registry/<prefix>/[<namespace>/]<name>`; runs twice per write, hence no split and join.
    const start = registryRoot.length;
    for (let end = key.lastIndexOf('/'); end > start; end = key.lastIndexOf('/', end - 1)) {
      const e = this.entries.get(key.slice(start, end));
      if (e) return e;
    }
    return undefined;
  }

  private async watchFrom(startRevision: number): Promise<void> {
    const w = await this.etcd.watch().prefix(registryRoot).withPreviousKV().startRevision(String(startRevision)).create();
    this.watcher = w;
    w.on('data', (res) => {
      for (const ev of res.events) this.onEvent(ev.type, ev.kv, ev.prev_kv);
      if (res.events.length === 0 && res.header) this.advance(Number(res.header.revision));
    });
    w.on('error', (err) => {
      // Only a compaction past our position ends this stream; reload everything then.
      logger.error({ err: String(err) }, 'cache feed watch failed; reloading caches');
      void this.reload();
    });
  }

  private async reload(): Promise<void> {
    await this.watcher?.cancel().catch(() => undefined);
    const specs = [...this.entries.values()].map((e) => e.spec);
    this.entries.clear();
    this.expected.clear();
    this.started = false;
    await this.start(specs);
  }

  private onEvent(type: 'Put' | 'Delete', kv: IKeyValue, prev?: IKeyValue): void {
    const revision = Number(kv.mod_revision);
    const key = kv.key.toString();
    const e = this.entryFor(key);
    if (e) {
      let ev: CacheEvent | undefined;
      if (type === 'Put') {
        const obj = this.putEntry(e.spec, key, kv, revision);
        ev = { type: Number(kv.create_revision) === revision ? 'ADDED' : 'MODIFIED', revision, object: obj };
      } else if (prev) {
        // A deleted object is reported in its last state, at the revision of the deletion.
        ev = { type: 'DELETED', revision, object: fromStored(e.spec, key, prev.value, revision) };
      }
      if (ev) {
        if (e.pending) e.pending.push(ev); else e.cache.apply(ev);
      }
    }
    this.advance(revision);
  }

  private advance(revision: number): void {
    if (revision <= this.revision) return;
    this.revision = revision;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.revision <= revision);
    this.waiters = this.waiters.filter((w) => w.revision > revision);
    for (const w of ready) w.resolve();
  }
}
