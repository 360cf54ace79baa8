// Feeds every resource cache from one etcd watch on /registry/. One stream for all resources means
// the caches' revision follows etcd's own, so a consistent list or a watch from any fresh
// resourceVersion is served from memory without etcd progress notifications.
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import { ResourceCache } from './resource-cache';
import type { CacheEvent, CachedObject } from './watch-event';
import { decodeFromStorage } from './etcd-codec';
import type { KubeObject } from './resource-types';
import { timeout } from './errors';
import { logger } from '../log';

export interface CacheSpec {
  prefix: string;
  namespaced: boolean;
  fieldAttributes(obj: KubeObject): Record<string, string>;
}

interface Entry { spec: CacheSpec; cache: ResourceCache; pending?: CacheEvent[] }

export function toCached(spec: CacheSpec, key: string, obj: KubeObject, revision: number): CachedObject {
  const meta = obj.metadata ?? {};
  const namespace = meta.namespace ?? '';
  const name = meta.name ?? '';
  const fields: Record<string, string> = { 'metadata.name': name, ...spec.fieldAttributes(obj) };
  if (spec.namespaced) fields['metadata.namespace'] = namespace;
  return { key, namespace, name, revision, json: JSON.stringify(obj), labels: meta.labels ?? {}, fields };
}

export class CacheFeed {
  private readonly entries = new Map<string, Entry>();
  private watcher: Watcher | undefined;
  /** The newest etcd revision every cache has seen. */
  revision = 0;
  private waiters: { revision: number; resolve: () => void }[] = [];
  private started = false;

  constructor(private readonly etcd: Etcd3) {}

  async start(specs: CacheSpec[]): Promise<void> {
    for (const s of specs) this.entries.set(s.prefix, { spec: s, cache: new ResourceCache(s.prefix, 0) });
    const res = await this.etcd.getAll().prefix('/registry/').exec();
    const rev = Number(res.header.revision);
    const byPrefix = new Map<string, CachedObject[]>();
    for (const kv of res.kvs) {
      const key = kv.key.toString();
      const e = this.entryFor(key);
      if (!e) continue;
      const list = byPrefix.get(e.spec.prefix) ?? [];
      list.push(toCached(e.spec, key, decodeFromStorage(kv.value, kv.mod_revision), Number(kv.mod_revision)));
      byPrefix.set(e.spec.prefix, list);
    }
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
    const res = await this.etcd.getAll().prefix(`/registry/${spec.prefix}/`).revision(at).exec();
    entry.cache.load(res.kvs.map((kv) =>
      toCached(spec, kv.key.toString(), decodeFromStorage(kv.value, kv.mod_revision), Number(kv.mod_revision))));
    for (const ev of entry.pending ?? []) if (ev.revision > at) entry.cache.apply(ev);
    entry.pending = undefined;
    return entry.cache;
  }

  remove(prefix: string): void { this.entries.delete(prefix); }

  cache(prefix: string): ResourceCache | undefined { return this.entries.get(prefix)?.cache; }

  /** Resolves once every event up to `revision` has reached the caches; 504 after 3 s, as upstream. */
  waitFor(revision: number): Promise<void> {
    if (this.revision >= revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { revision, resolve: () => { clearTimeout(t); resolve(); } };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(timeout(`Timeout: Too large resource version: ${revision}, current: ${this.revision}`));
      }, 3000);
      this.waiters.push(w);
    });
  }

  async stop(): Promise<void> { await this.watcher?.cancel(); }

  private entryFor(key: string): Entry | undefined {
    // Prefixes nest (services/specs vs services/endpoints), so try the longest first.
    const parts = key.split('/');
    for (let n = parts.length - 2; n >= 2; n--) {
      const e = this.entries.get(parts.slice(2, n + 1).join('/'));
      if (e) return e;
    }
    return undefined;
  }

  private async watchFrom(startRevision: number): Promise<void> {
    const w = await this.etcd.watch().prefix('/registry/').withPreviousKV().startRevision(String(startRevision)).create();
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
        const obj = toCached(e.spec, key, decodeFromStorage(kv.value, revision), revision);
        ev = { type: Number(kv.create_revision) === revision ? 'ADDED' : 'MODIFIED', revision, object: obj };
      } else if (prev) {
        // A deleted object is reported in its last state, at the revision of the deletion.
        ev = { type: 'DELETED', revision, object: toCached(e.spec, key, decodeFromStorage(prev.value, revision), revision) };
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
