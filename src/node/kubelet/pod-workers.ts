// One node's pods as its kubelet runs them: the pods the API binds to the node, one worker per pod that
// runs PodSyncer whenever the pod, its containers (a runtime relist, upstream's PLEG) or its probes change.
import type { Pod } from 'kubernetes-types/core/v1';
import { logger } from '../../log';
import { NODE_NAME, POD_UID } from './cri-labels';
import { logStep, PodSyncer, type SyncDeps } from './pod-sync';
import { Prober, type ProbeRunner } from './prober';

export type PodWorkersDeps = Omit<SyncDeps, 'prober' | 'requeue'> & { probes: ProbeRunner };

interface Worker { running: boolean; dirty: boolean }

export class PodWorkers {
  private readonly pods = new Map<string, Pod>();
  private readonly workers = new Map<string, Worker>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** Each pod's sandboxes and containers with their states at the last relist. */
  private readonly fingerprints = new Map<string, string>();
  private readonly prober: Prober;
  private readonly syncer: PodSyncer;
  private synced = false;
  private stopping = false;

  constructor(private readonly d: PodWorkersDeps) {
    this.prober = new Prober(d.probes, {
      changed: (uid, kind, containerId, ok) => {
        if (kind === 'liveness' && !ok) this.syncer.livenessFailed.add(containerId);
        this.schedule(uid);
      },
      failed: (uid, kind, name, output) => {
        const pod = this.pods.get(uid);
        const label = kind[0]!.toUpperCase() + kind.slice(1);
        if (pod) d.events.event(pod, 'Warning', 'Unhealthy', `${label} probe failed: ${output}`, `spec.containers{${name}}`);
      },
    });
    this.syncer = new PodSyncer({ ...d, prober: this.prober, requeue: (uid, ms) => this.requeue(uid, ms) });
  }

  /** The pod as the API has it now (added or updated). */
  upsert(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    logStep(pod, 'pod from the API', { resourceVersion: pod.metadata?.resourceVersion });
    this.pods.set(uid, pod);
    this.schedule(uid);
  }

  /** The pod is gone from the API: its worker stops what still runs. */
  remove(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    this.pods.delete(uid);
    this.schedule(uid);
  }

  /** The API's pods are all in: from now on, what the runtime runs for unknown pods is cleaned up. */
  markSynced(): void {
    this.synced = true;
    this.resync();
    void this.relist().catch(() => undefined);
  }

  resync(): void {
    for (const uid of this.pods.keys()) this.schedule(uid);
  }

  /** Compares the runtime's view with the last relist: a change in a pod's sandboxes or containers wakes its worker. */
  async relist(): Promise<void> {
    const selector = { labelSelector: { [NODE_NAME]: this.d.sandbox.nodeName } };
    const [sandboxes, containers] = await Promise.all([this.d.cri.listPodSandbox(selector), this.d.cri.listContainers(selector)]);
    const now = new Map<string, string[]>();
    const add = (uid: string | undefined, part: string): void => {
      if (!uid) return;
      const parts = now.get(uid);
      if (parts) parts.push(part); else now.set(uid, [part]);
    };
    for (const s of sandboxes) add(s.labels[POD_UID], `${s.id}:${s.state}`);
    for (const c of containers) add(c.labels[POD_UID], `${c.id}:${c.state}`);
    this.prober.retain(new Set(containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.id)));
    for (const [uid, parts] of now) {
      const fp = parts.sort().join(',');
      if (this.fingerprints.get(uid) !== fp) { this.fingerprints.set(uid, fp); this.schedule(uid); }
      else if (this.synced && !this.pods.has(uid)) this.schedule(uid);
    }
    for (const uid of [...this.fingerprints.keys()]) if (!now.has(uid)) this.fingerprints.delete(uid);
  }

  stop(): void {
    this.stopping = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.prober.retain(new Set());
  }

  /** Another sync of this pod after `ms` (back-off expiry), keeping only the earliest one asked for. */
  private requeue(uid: string, ms: number): void {
    const at = Date.now() + ms;
    const prev = this.timers.get(uid);
    if (prev && prev.at <= at) return;
    if (prev) clearTimeout(prev.timer);
    this.timers.set(uid, { at, timer: setTimeout(() => { this.timers.delete(uid); this.schedule(uid); }, ms) });
  }

  private async syncOne(uid: string): Promise<void> {
    const pod = this.pods.get(uid);
    if (pod) await this.syncer.sync(pod);
    else if (this.synced) await this.syncer.terminate(uid, undefined);
  }

  private schedule(uid: string): void {
    if (this.stopping) return;
    let w = this.workers.get(uid);
    if (!w) { w = { running: false, dirty: false }; this.workers.set(uid, w); }
    w.dirty = true;
    if (w.running) return;
    w.running = true;
    const worker = w;
    void (async () => {
      while (worker.dirty && !this.stopping) {
        worker.dirty = false;
        try { await this.syncOne(uid); } catch (e) {
          logger.warn({ node: this.d.sandbox.nodeName, uid, err: e instanceof Error ? e.message : String(e) }, 'pod sync failed; retrying');
          setTimeout(() => this.schedule(uid), 2000);
        }
      }
      worker.running = false;
      if (!this.pods.has(uid)) this.workers.delete(uid);
    })();
  }
}
