// The scheduler as an API client: informers feed the node cache and the queue; one loop takes the
// highest-priority pending pod, decides, assumes it onto the node and binds through pods/binding in the
// background; a pod that fits nowhere may preempt, and gets a FailedScheduling event and PodScheduled=False.
import type { Namespace, Node, Pod, PodCondition } from 'kubernetes-types/core/v1';
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

export interface SchedulerOptions {
  client: RestClient;
  informers: InformerFactory;
  recorder: EventRecorder;
  schedulerName: string;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

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
  private readonly pods: Informer<Pod>;
  private priorityClasses?: Informer<PriorityClass>;
  private stopped = false;
  private flushTimer?: NodeJS.Timeout;

  constructor(private readonly o: SchedulerOptions) {
    this.pods = o.informers.for<Pod>(resources.pods);
    this.pods.on('add', (p) => this.onPod(p));
    this.pods.on('update', (p) => this.onPod(p));
    this.pods.on('delete', (p) => this.onPodDelete(p));
    const nodes = o.informers.for<Node>(resources.nodes);
    const nodeChanged = (n: Node) => { this.cache.setNode(n); this.queue.moveAllToActiveOrBackoff(); };
    nodes.on('add', nodeChanged);
    nodes.on('update', nodeChanged);
    nodes.on('delete', (n) => this.cache.removeNode(n.metadata?.name ?? ''));
    const namespaces = o.informers.for<Namespace>(resources.namespaces);
    namespaces.on('add', (ns) => this.cache.setNamespace(ns));
    namespaces.on('update', (ns) => { this.cache.setNamespace(ns); this.queue.moveAllToActiveOrBackoff(); });
    namespaces.on('delete', (ns) => this.cache.removeNamespace(ns.metadata?.name ?? ''));
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

  private async bind(q: QueuedPod, node: string): Promise<void> {
    const { namespace, name, uid } = q.pod.metadata ?? {};
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
