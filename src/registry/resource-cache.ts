// The watch cache of one resource (one etcd key prefix): current objects, a window of recent events,
// and the watchers they fan out to. Fed by the shared /registry watch (see cache-feed.ts).
import type { CacheEvent, CachedObject } from './watch-event';

export type Predicate = (o: CachedObject) => boolean;

export interface CacheWatcher {
  namespace?: string;
  predicate: Predicate;
  /** Returns false when the watcher's consumer is gone. */
  deliver(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: CachedObject): void;
}

export class ResourceCache {
  private readonly items = new Map<string, CachedObject>();
  private sortedKeys: string[] | undefined;
  private readonly window: CacheEvent[] = [];
  /** Events in the window cover revisions (oldestRevision, latest]. */
  oldestRevision: number;
  private readonly watchers = new Set<CacheWatcher>();

  constructor(readonly prefix: string, startRevision: number, private readonly capacity = 2000) {
    this.oldestRevision = startRevision;
  }

  load(objects: CachedObject[]): void {
    for (const o of objects) this.items.set(o.key, o);
    this.sortedKeys = undefined;
  }

  apply(ev: CacheEvent): void {
    const previous = this.items.get(ev.object.key);
    if (ev.type === 'DELETED') this.items.delete(ev.object.key);
    else this.items.set(ev.object.key, ev.object);
    if (!previous || ev.type === 'DELETED') this.sortedKeys = undefined;
    const stored: CacheEvent = previous && ev.type === 'MODIFIED' ? { ...ev, previous } : ev;
    this.window.push(stored);
    // Trimmed in batches: dropping one event per write moved the whole window each time (a visible
    // share of the apiserver's CPU in a create burst); the window still always holds `capacity` events.
    if (this.window.length > this.capacity + (this.capacity >> 2)) {
      const dropped = this.window.splice(0, this.window.length - this.capacity);
      this.oldestRevision = dropped[dropped.length - 1].revision;
    }
    for (const w of this.watchers) dispatch(w, stored);
  }

  get(key: string): CachedObject | undefined { return this.items.get(key); }

  list(namespace: string | undefined, predicate: Predicate): CachedObject[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.items.keys()].sort();
    const out: CachedObject[] = [];
    for (const k of this.sortedKeys) {
      const o = this.items.get(k);
      if (!o || (namespace !== undefined && o.namespace !== namespace)) continue;
      if (predicate(o)) out.push(o);
    }
    return out;
  }

  get size(): number { return this.items.size; }

  /** Events after `revision`, or undefined when the window no longer reaches back that far. */
  eventsSince(revision: number): CacheEvent[] | undefined {
    if (revision < this.oldestRevision) return undefined;
    let lo = 0;
    let hi = this.window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.window[mid].revision <= revision) lo = mid + 1; else hi = mid;
    }
    return this.window.slice(lo);
  }

  addWatcher(w: CacheWatcher): () => void {
    this.watchers.add(w);
    return () => { this.watchers.delete(w); };
  }

  get watcherCount(): number { return this.watchers.size; }
}

/** Filter one event for one watcher; a MODIFIED that crosses the selector becomes ADDED or DELETED. */
export function dispatch(w: CacheWatcher, ev: CacheEvent): void {
  const o = ev.object;
  if (w.namespace !== undefined && o.namespace !== w.namespace) return;
  const now = w.predicate(o);
  if (ev.type !== 'MODIFIED') {
    if (now) w.deliver(ev.type, o);
    return;
  }
  const before = ev.previous ? w.predicate(ev.previous) : false;
  if (now && before) w.deliver('MODIFIED', o);
  else if (now) w.deliver('ADDED', o);
  else if (before && ev.previous) w.deliver('DELETED', leftSelector(ev.previous, ev.revision));
}

/** Upstream reports an object leaving a watch's selector as its last matching state, at the new revision. */
export function leftSelector(previous: CachedObject, revision: number): CachedObject {
  const obj = JSON.parse(previous.json) as { metadata?: Record<string, unknown> };
  obj.metadata = { ...obj.metadata, resourceVersion: String(revision) };
  return { ...previous, revision, json: JSON.stringify(obj) };
}
