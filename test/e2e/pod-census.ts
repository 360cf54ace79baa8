// Watches the pods of one app label and keeps, after every watch event, the most pods that were live at
// once and the fewest that were live and Ready: what a rollout's maxSurge/maxUnavailable bound.
import { ok, Watch, type KubeObject, type List } from '../integration/http';

interface PodObj extends KubeObject { status?: { conditions?: { type: string; status: string }[] } }

/** Watches a deployment's pods and checks, after every event, how many exist and how many are ready. */
export class PodCensus {
  private readonly pods = new Map<string, PodObj>();
  maxLive = 0;
  minReady = Number.POSITIVE_INFINITY;
  events = 0;
  /** Every pod name the watch has seen added. */
  readonly added = new Set<string>();
  private constructor(private readonly watch: Watch) {}

  static async start(ns: string, app: string): Promise<PodCensus> {
    const list = await ok<List<PodObj>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`);
    const w = new Watch(`/api/v1/namespaces/${ns}/pods?watch=true&labelSelector=app%3D${app}&resourceVersion=${list.metadata.resourceVersion}`);
    const c = new PodCensus(w);
    for (const p of list.items) c.pods.set(p.metadata.name, p);
    c.observe();
    return c;
  }

  /** Reads the events seen so far, updating the extremes after each one. */
  catchUp(): void {
    for (; this.events < this.watch.events.length; this.events++) {
      const e = this.watch.events[this.events];
      if (e.type === 'DELETED') this.pods.delete(e.object.metadata.name);
      else if (e.type === 'ADDED' || e.type === 'MODIFIED') this.pods.set(e.object.metadata.name, e.object as PodObj);
      if (e.type === 'ADDED') this.added.add(e.object.metadata.name);
      this.observe();
    }
  }

  private observe(): void {
    const live = [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp);
    const ready = live.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    this.maxLive = Math.max(this.maxLive, live.length);
    this.minReady = Math.min(this.minReady, ready.length);
  }

  live(): PodObj[] { this.catchUp(); return [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp); }
  stop(): void { this.catchUp(); this.watch.close(); }
}

