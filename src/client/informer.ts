// A shared informer: @kubernetes/client-node's ListWatch (list, then watch from the list's
// resourceVersion, relist on 410 Gone) kept running across errors, with synced() and secondary indexes.
import type { KubernetesObject, ListWatch } from '@kubernetes/client-node';
import { resourcePath, type ResourceRef } from './resource-ref';
import type { ApiObject, RestClient } from './rest-client';

export type Handler<T> = (obj: T) => void;
export type IndexFunc<T> = (obj: T) => string[];

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}


export function objectKey(obj: ApiObject): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name}` : (obj.metadata?.name ?? '');
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export class Informer<T extends ApiObject> {
  private lw?: ListWatch<KubernetesObject>;
  private readonly handlers = { add: [] as Handler<T>[], update: [] as Handler<T>[], delete: [] as Handler<T>[] };
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  /** The index values each object was filed under, to unfile it on update and delete. */
  private readonly filed = new Map<string, Map<string, string[]>>();
  private syncedResolve!: () => void;
  private readonly syncedPromise = new Promise<void>((r) => { this.syncedResolve = r; });
  private hasSyncedOnce = false;
  private stopped = false;
  private retryMs = 500;

  constructor(private readonly client: RestClient, readonly resource: ResourceRef, private readonly opts: InformerOptions = {}) {}

  on(event: 'add' | 'update' | 'delete', h: Handler<T>): void { this.handlers[event].push(h); }

  /** Files every object under the values fn returns (e.g. owner uid, node name) for byIndex lookups. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    this.indexers.set(name, fn);
    this.indexes.set(name, new Map());
  }

  async start(): Promise<void> {
    const { ListWatch, Watch } = await import('@kubernetes/client-node');
    const path = resourcePath(this.resource, this.opts.namespace);
    const list = async () => {
      const l = await this.client.listAll<ApiObject>(this.resource, this.opts.namespace, {
        labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
      });
      // ListWatch adds the listed items right after this promise settles; synced follows that.
      setImmediate(() => { this.hasSyncedOnce = true; this.syncedResolve(); });
      // client-node's model types dates as Date; the objects stay the plain JSON the server sent.
      return { metadata: l.metadata, items: l.items as unknown as KubernetesObject[] };
    };
    this.lw = new ListWatch<KubernetesObject>(path, new Watch(this.client.kubeConfig), list, false,
      this.opts.labelSelector, this.opts.fieldSelector);
    this.lw.on('add', (o) => { this.file(o as unknown as T); this.handlers.add.forEach((h) => h(o as unknown as T)); });
    this.lw.on('update', (o) => { this.file(o as unknown as T); this.handlers.update.forEach((h) => h(o as unknown as T)); });
    this.lw.on('delete', (o) => { this.unfile(objectKey(o as unknown as ApiObject)); this.handlers.delete.forEach((h) => h(o as unknown as T)); });
    this.lw.on('connect', () => { this.retryMs = 500; });
    // ListWatch stops on any error but 410; keep it running, backing off while the apiserver is away.
    let pending = false;
    const retry = () => {
      // ListWatch may both emit 'error' and reject for one failure: one restart is enough.
      if (this.stopped || pending) return;
      pending = true;
      setTimeout(() => { pending = false; if (!this.stopped) void this.lw?.start().catch(retry); }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    };
    this.lw.on('error', retry);
    // A failed first list (a kind that just went away, an apiserver restarting) is retried too, never
    // left as an unhandled rejection that would end the process.
    await this.lw.start().catch(retry);
  }

  synced(): Promise<void> { return this.syncedPromise; }
  get hasSynced(): boolean { return this.hasSyncedOnce; }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.lw?.get(name, namespace) as T | undefined;
  }

  getByKey(key: string): T | undefined {
    const { namespace, name } = splitKey(key);
    return this.get(namespace, name);
  }

  list(namespace?: string): T[] { return (this.lw?.list(namespace) ?? []) as T[]; }

  byIndex(index: string, value: string): T[] {
    const keys = this.indexes.get(index)?.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) { const o = this.getByKey(k); if (o) out.push(o); }
    return out;
  }

  stop(): void {
    this.stopped = true;
    void this.lw?.stop();
  }

  private file(obj: T): void {
    if (this.indexers.size === 0) return;
    const key = objectKey(obj);
    this.unfile(key);
    const values = new Map<string, string[]>();
    for (const [name, fn] of this.indexers) {
      const vs = fn(obj);
      values.set(name, vs);
      const idx = this.indexes.get(name)!;
      for (const v of vs) {
        let set = idx.get(v);
        if (!set) idx.set(v, set = new Set());
        set.add(key);
      }
    }
    this.filed.set(key, values);
  }

  private unfile(key: string): void {
    const values = this.filed.get(key);
    if (!values) return;
    for (const [name, vs] of values) {
      const idx = this.indexes.get(name)!;
      for (const v of vs) {
        const set = idx.get(v);
        set?.delete(key);
        if (set && set.size === 0) idx.delete(v);
      }
    }
    this.filed.delete(key);
  }
}
