// One informer per resource (and selector) shared by every controller of a process, as client-go's
// SharedInformerFactory does, so N controllers watching pods cost one watch.
import { Informer, type InformerOptions } from './informer';
import type { ResourceRef } from './resource-ref';
import type { ApiObject, RestClient } from './rest-client';

export class InformerFactory {
  private readonly informers = new Map<string, Informer<ApiObject>>();
  private started = false;

  constructor(readonly client: RestClient) {}

  for<T extends ApiObject>(r: ResourceRef, opts: InformerOptions = {}): Informer<T> {
    const key = `${r.group}/${r.version}/${r.plural}?${opts.namespace ?? ''}&${opts.labelSelector ?? ''}&${opts.fieldSelector ?? ''}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<ApiObject>(this.client, r, opts);
      this.informers.set(key, inf);
      if (this.started) void inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts every informer asked for so far (later ones start as they are asked for) and waits for their first list. */
  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.informers.values()].map((i) => i.start()));
    await Promise.all([...this.informers.values()].map((i) => i.synced()));
  }

  stop(): void { for (const i of this.informers.values()) i.stop(); }
}
