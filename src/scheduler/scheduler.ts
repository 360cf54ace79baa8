// The scheduler as an API client: informers feed the node cache and the queue; one loop takes the
// highest-priority pending pod, decides, assumes it onto the node and binds through pods/binding in the
// background; a pod that fits nowhere may preempt, and gets a FailedScheduling event and PodScheduled=False.
import type { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { isConflict, isNotFound } from '../client/api-error';
import type { EventRecorder } from '../client/event-recorder';
import type { Informer } from '../client/informer';
import type { InformerFactory } from '../client/informer-factory';
import { resources } from '../client/resource-ref';
import type { RestClient } from '../client/rest-client';
import { fitErrorMessage, noNodesAvailable } from './fit-error';
import { podKey } from './node-info';
import { preempt } from './preemption';
import { podPriority } from './priority';
import { SchedulingAlgorithm, type Unfit } from './schedule-pod';
import { SchedulerCache } from './scheduler-cache';
import { SchedulingQueue, type QueuedPod } from './scheduling-queue';
import { ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE } from '../controllers/volume/volume-annotations';
import { unboundClaims, volumeDecisionsFor } from './plugins/volume-binding';

export interface SchedulerOptions {
  client: RestClient;
  informers: InformerFactory;
  recorder: EventRecorder;
  schedulerName: string;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

/** upstream's VolumeBinding bindTimeoutSeconds: how long PreBind waits for the pod's claims to be bound. */
const VOLUME_BIND_TIMEOUT_MS = 600_000;

const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** Pods an assigned pod's arrival may help: those needing pods near them or spreading against them. */
const helpedByAssignedPod = (p: Pod) => !!(p.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
  p.spec?.topologySpreadConstraints?.length);

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue = new SchedulingQueue();
  private readonly nominated = new Map<string, Map<string, Pod>>();
  private readonly nominatedNodeOf = new Map<string, string>();
  private readonly algorithm = new SchedulingAlgorithm({ nominatedPods: (n) => [...(this.nominated.get(n)?.values() ?? [])] });
  /** This scheduler's unbound pods; bound pods of every scheduler come from a second watch (see the constructor). */
  private readonly pods: Informer<Pod>;
  private priorityClasses?: Informer<PriorityClass>;
  private stopped = false;
  private flushTimer?: NodeJS.Timeout;

  constructor(private readonly o: SchedulerOptions) {
    // Two watches, as field selectors upstream serves: bound pods of every scheduler (they hold node
    // resources) and only this scheduler's pending ones, so pods left to another scheduler never reach here.
    const bound = o.informers.for<Pod>(resources.pods, { fieldSelector: 'spec.nodeName!=' });
    bound.on('add', (p) => this.onPod(p));
    bound.on('update', (p) => this.onPod(p));
    bound.on('delete', (p) => this.onPodDelete(p));
    this.pods = o.informers.for<Pod>(resources.pods, { fieldSelector: `spec.nodeName=,spec.schedulerName=${o.schedulerName}` });
    this.pods.on('add', (p) => this.onPod(p));
    this.pods.on('update', (p) => this.onPod(p));
    // Binding also ends a pod's stay in the pending watch; its node's share is the bound watch's to keep.
    this.pods.on('delete', (p) => this.onPendingGone(p));
    const nodes = o.informers.for<Node>(resources.nodes);
    const nodeChanged = (n: Node) => { this.cache.setNode(n); this.queue.moveAllToActiveOrBackoff(); };
    nodes.on('add', nodeChanged);
    nodes.on('update', nodeChanged);
    nodes.on('delete', (n) => this.cache.removeNode(n.metadata?.name ?? ''));
    const namespaces = o.informers.for<Namespace>(resources.namespaces);
    namespaces.on('add', (ns) => this.cache.setNamespace(ns));
    namespaces.on('update', (ns) => { this.cache.setNamespace(ns); this.queue.moveAllToActiveOrBackoff(); });
    namespaces.on('delete', (ns) => this.cache.removeNamespace(ns.metadata?.name ?? ''));
    this.watchVolumes();
  }

  /** Claims, volumes and classes for VolumeBinding; any change may make a waiting pod schedulable. */
  private watchVolumes(): void {
    const claims = this.o.informers.for<PersistentVolumeClaim>(resources.persistentvolumeclaims);
    const volumes = this.o.informers.for<PersistentVolume>(resources.persistentvolumes);
    const classes = this.o.informers.for<StorageClass>(resources.storageclasses);
    this.cache.volumes = {
      claim: (ns, name) => claims.get(ns, name),
      volumes: () => volumes.list(),
      storageClass: (name) => classes.get(undefined, name),
    };
    const changed = () => this.queue.moveAllToActiveOrBackoff();
    for (const inf of [claims, volumes, classes] as const) {
      inf.on('add', changed);
      inf.on('update', changed);
    }
  }

  /** Watches PriorityClasses too when the apiserver serves them (pods' spec.priority is normally resolved at admission). */
  async watchPriorityClassesIfServed(): Promise<void> {
    try {
      await this.o.client.request('GET', '/apis/scheduling.k8s.io/v1');
    } catch {
      return;
    }
    this.priorityClasses = this.o.informers.for<PriorityClass>(resources.priorityclasses);
  }

  async run(): Promise<void> {
    await this.o.informers.start();
    this.flushTimer = setInterval(() => this.queue.flush(), 1000);
    this.flushTimer.unref();
    while (!this.stopped) {
      const q = await this.queue.pop();
      if (!q) return;
      try {
        await this.scheduleOne(q);
      } catch (err) {
        this.o.log('scheduling attempt failed', { pod: q.key, err: String(err) });
        this.queue.addBackoff(q);
      }
      // Let informer events in between decisions.
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.queue.close();
  }

  private withPriority(p: Pod): Pod {
    if (p.spec?.priority !== undefined || !this.priorityClasses) return p;
    const classes = new Map(this.priorityClasses.list().map((c) => [c.metadata?.name ?? '', c]));
    return { ...p, spec: { ...p.spec!, priority: podPriority(p, classes) } };
  }

  private onPod(raw: Pod): void {
    const key = podKey(raw);
    const pod = this.withPriority(raw);
    if (pod.spec?.nodeName) {
      this.unnominate(key);
      this.queue.delete(key);
      if (isTerminal(pod)) {
        // A finished pod frees its node's resources.
        if (this.cache.has(key)) { this.cache.removePod(key); this.queue.moveAllToActiveOrBackoff(); }
        return;
      }
      const known = this.cache.has(key) && !this.cache.isAssumed(key);
      this.cache.setPod(pod);
      if (!known) this.queue.moveAllToActiveOrBackoff(helpedByAssignedPod);
      return;
    }
    if ((pod.spec?.schedulerName ?? 'default-scheduler') !== this.o.schedulerName) return;
    if (pod.metadata?.deletionTimestamp || isTerminal(pod)) { this.queue.delete(key); return; }
    const nominee = pod.status?.nominatedNodeName;
    if (nominee) this.nominate(pod, nominee); else this.unnominate(key);
    if (this.cache.isAssumed(key)) return;
    this.queue.add(pod);
  }

  private onPendingGone(pod: Pod): void {
    const key = podKey(pod);
    this.queue.delete(key);
    this.unnominate(key);
  }

  private onPodDelete(pod: Pod): void {
    const key = podKey(pod);
    this.queue.delete(key);
    this.unnominate(key);
    if (this.cache.has(key)) {
      this.cache.removePod(key);
      this.queue.moveAllToActiveOrBackoff();
    }
  }

  private nominate(pod: Pod, node: string): void {
    const key = podKey(pod);
    this.unnominate(key);
    let m = this.nominated.get(node);
    if (!m) this.nominated.set(node, m = new Map());
    m.set(key, pod);
    this.nominatedNodeOf.set(key, node);
  }

  private unnominate(key: string): void {
    const node = this.nominatedNodeOf.get(key);
    if (node === undefined) return;
    this.nominatedNodeOf.delete(key);
    const m = this.nominated.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.nominated.delete(node);
  }

  private async scheduleOne(q: QueuedPod): Promise<void> {
    const { namespace, name } = q.pod.metadata ?? {};
    const latest = this.pods.get(namespace, name ?? '');
    if (!latest || latest.spec?.nodeName || latest.metadata?.deletionTimestamp || latest.metadata?.uid !== q.pod.metadata?.uid) {
      this.queue.done(q.key);
      return;
    }
    const pod = this.withPriority(latest);
    q.pod = pod;
    const result = this.algorithm.schedule(pod, this.cache);
    if (result.kind === 'scheduled') {
      this.cache.assume(pod, result.node);
      this.queue.done(q.key);
      void this.bind(q, result.node);
      return;
    }
    await this.handleUnfit(q, result);
  }

  /**
   * PreBind for volumes: pre-binds the chosen static volumes and names the node on claims to provision,
   * then waits until the binder has bound every claim of the pod.
   */
  private async bindVolumes(pod: Pod, nodeName: string): Promise<void> {
    const listers = this.cache.volumes;
    const node = this.cache.node(nodeName)?.node;
    if (!listers || !node) return;
    for (const d of volumeDecisionsFor(pod, node, listers)) {
      const { namespace, name, uid, resourceVersion } = d.claim.metadata ?? {};
      if (d.volume) {
        await this.o.client.patch(resources.persistentvolumes, undefined, d.volume.metadata?.name ?? '', {
          metadata: { annotations: { [ANN_BOUND_BY_CONTROLLER]: 'yes' }, resourceVersion: d.volume.metadata?.resourceVersion },
          spec: { claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace, name, uid, resourceVersion } },
        });
      } else {
        await this.o.client.patch(resources.persistentvolumeclaims, namespace, name ?? '', {
          metadata: { annotations: { [ANN_SELECTED_NODE]: nodeName }, resourceVersion },
        });
      }
    }
    const deadline = Date.now() + VOLUME_BIND_TIMEOUT_MS;
    while (unboundClaims(pod, listers).length > 0) {
      const latest = this.pods.get(pod.metadata?.namespace, pod.metadata?.name ?? '');
      if (!latest || latest.metadata?.uid !== pod.metadata?.uid) throw new Error('pod went away while its volumes were being bound');
      if (Date.now() > deadline) throw new Error(`binding volumes: timed out waiting for ${unboundClaims(pod, listers).join(', ')} to be bound`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async bind(q: QueuedPod, node: string): Promise<void> {
    const { namespace, name, uid } = q.pod.metadata ?? {};
    try {
      await this.bindVolumes(q.pod, node);
    } catch (err) {
      this.cache.forget(q.key);
      this.o.log('binding volumes failed', { pod: q.key, node, err: String(err) });
      this.queue.addBackoff(q);
      return;
    }
    try {
      await this.o.client.createSubresource(resources.pods, namespace, name ?? '', 'binding', {
        apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid }, target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
      this.o.recorder.event(q.pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
    } catch (err) {
      this.cache.forget(q.key);
      // 409: another scheduler bound it (or it is being deleted); the informer will show what happened.
      if (isConflict(err) || isNotFound(err)) return;
      this.o.log('binding failed', { pod: q.key, node, err: String(err) });
      this.queue.addBackoff(q);
    }
  }

  private async handleUnfit(q: QueuedPod, result: Unfit): Promise<void> {
    const pod = q.pod;
    let message = noNodesAvailable;
    let nominatedNodeName: string | null | undefined;
    if (result.numAllNodes > 0) {
      const pre = preempt(pod, this.cache, result.statuses, this.algorithm.filters, this.algorithm.random);
      let postFilterMsg = '';
      if (pre.kind === 'nominate') {
        nominatedNodeName = pre.candidate.node;
        this.nominate(pod, nominatedNodeName);
        await this.evict(pod, pre.candidate.node, pre.candidate.victims);
      } else {
        postFilterMsg = `preemption: ${pre.message}`;
        if (pod.status?.nominatedNodeName && !pre.message.startsWith('not eligible')) nominatedNodeName = null;
      }
      message = fitErrorMessage(result.numAllNodes, result.statuses, undefined, postFilterMsg);
    }
    this.o.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    await this.setUnschedulable(pod, message, nominatedNodeName);
    this.queue.addUnschedulable(q);
  }

  /** Deletes the victims and takes the node back from lower-priority pods nominated to it. */
  private async evict(preemptor: Pod, node: string, victims: Pod[]): Promise<void> {
    await Promise.all(victims.map(async (v) => {
      try {
        await this.o.client.delete(resources.pods, v.metadata?.namespace, v.metadata?.name ?? '', { preconditions: { uid: v.metadata?.uid } });
        this.o.recorder.event(v, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid} on node ${node}`);
      } catch (err) {
        if (!isNotFound(err)) this.o.log('preemption: deleting victim failed', { victim: podKey(v), err: String(err) });
      }
    }));
    const priority = podPriority(preemptor);
    for (const other of [...(this.nominated.get(node)?.values() ?? [])]) {
      if (podPriority(other) >= priority || podKey(other) === podKey(preemptor)) continue;
      this.unnominate(podKey(other));
      await this.patchStatus(other, { nominatedNodeName: null });
    }
  }

  private async setUnschedulable(pod: Pod, message: string, nominatedNodeName: string | null | undefined): Promise<void> {
    const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const same = cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message;
    if (same && nominatedNodeName === undefined) return;
    const condition: PodCondition = {
      type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message,
      lastProbeTime: null as unknown as string,
      lastTransitionTime: cur?.status === 'False' && cur.lastTransitionTime ? cur.lastTransitionTime : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    await this.patchStatus(pod, { conditions: [condition], ...(nominatedNodeName !== undefined ? { nominatedNodeName } : {}) });
  }

  private async patchStatus(pod: Pod, status: Record<string, unknown>): Promise<void> {
    try {
      await this.o.client.patch(resources.pods, pod.metadata?.namespace, pod.metadata?.name ?? '', { status }, 'strategic', 'status');
    } catch (err) {
      if (!isNotFound(err)) this.o.log('updating pod status failed', { pod: podKey(pod), err: String(err) });
    }
  }
}
