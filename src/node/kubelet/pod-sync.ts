// One pod's sync, run by its worker whenever the pod, its containers or its probes change: compare the
// spec with what the CRI reports and take the next steps (sandbox, volumes, init containers in order,
// containers, restarts with back-off, termination), then write the status through pods/<name>/status.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { CriRuntime } from '../cri/cri-runtime';
import type { ContainerStatus as CriContainerStatus, Image, PodSandbox, PodSandboxStatus } from '../cri/cri-types';
import { logger } from '../../log';
import { isConflict, isNotFound } from '../../client/api-error';
import type { EventRecorder, EventType } from '../../client/event-recorder';
import { resources } from '../../client/resource-ref';
import { deepEqual } from '../../registry/object-meta';
import type { RestClient } from '../../client/rest-client';
import { containerConfig, etcHostsContent } from './container-config';
import { containerEnv, EnvError } from './container-env';
import { CrashBackoff, goDuration } from './crash-backoff';
import { CONTAINER_NAME, POD_UID, TERMINATION_GRACE } from './cri-labels';
import type { NodeAllocatable } from './downward-api';
import type { ObjectSource } from './object-source';
import { computePodStatus, initDone, isTerminalPhase, type RuntimeView, type Waiting } from './pod-status';
import { runHook } from './lifecycle-hooks';
import { podDir, prepareVolumes, removePodDir } from './pod-volumes';
import type { Prober } from './prober';
import { sandboxConfig, type SandboxOptions } from './sandbox-config';

export interface SyncDeps {
  api: RestClient;
  cri: CriRuntime;
  events: EventRecorder;
  prober: Prober;
  objects: ObjectSource;
  sandbox: SandboxOptions;
  rootDir: string;
  hostIP: string;
  allocatable: NodeAllocatable;
  nodeMemoryBytes: number;
  /** Asks for another sync of this pod after `ms` (back-off expiry). */
  requeue(uid: string, ms: number): void;
}

interface PodRuntime {
  sandboxes: PodSandbox[];
  /** CRI statuses per container name, newest attempt first. */
  containers: Map<string, CriContainerStatus[]>;
}

/** A pod sync's steps at debug level (KUBETS_LOG_LEVEL=debug): where a pod's start time goes, read from the log's times. */
export function logStep(pod: Pod, step: string, fields: Record<string, unknown> = {}): void {
  logger.debug({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, uid: pod.metadata?.uid, step, ...fields }, 'pod sync step');
}

/** What a sync hands to its container starts: image lookups begun early, and their events, held back until the status is written. */
interface StartContext { images: Map<string, Promise<Image | undefined>>; held: (() => void)[] }

const nanosToMs = (ns: number): number => Math.floor(ns / 1e6);

export class PodSyncer {
  private readonly backoff = new CrashBackoff();
  /** Exited containers never change, so their CRI status is read once. */
  private readonly exitedCache = new Map<string, CriContainerStatus>();
  /** Per pod, the status this kubelet last wrote and the resourceVersions just before and after that write. */
  private readonly lastStatus = new Map<string, { status: PodStatus; resourceVersions: (string | undefined)[] }>();
  /** Containers whose liveness probe failed and must be restarted. */
  readonly livenessFailed = new Set<string>();

  constructor(private readonly d: SyncDeps) {}

  private async runtime(uid: string): Promise<PodRuntime> {
    const [sandboxes, list] = await Promise.all([
      this.d.cri.listPodSandbox({ labelSelector: { [POD_UID]: uid } }),
      this.d.cri.listContainers({ labelSelector: { [POD_UID]: uid } }),
    ]);
    sandboxes.sort((a, b) => b.createdAt - a.createdAt);
    const containers = new Map<string, CriContainerStatus[]>();
    for (const c of list) {
      let s = this.exitedCache.get(c.id);
      if (!s) {
        try { s = await this.d.cri.containerStatus(c.id); } catch { continue; }
        if (s.state === 'CONTAINER_EXITED') this.exitedCache.set(c.id, s);
      }
      const name = c.labels[CONTAINER_NAME] ?? c.metadata.name;
      containers.set(name, [...(containers.get(name) ?? []), s]);
    }
    for (const h of containers.values()) h.sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
    return { sandboxes, containers };
  }

  /** The pod is gone from the API (or being deleted): stop everything it ran, then let the API forget it. */
  async terminate(uid: string, pod: Pod | undefined): Promise<void> {
    const rt = await this.runtime(uid);
    const running = [...rt.containers.values()].flat().filter((c) => c.state === 'CONTAINER_RUNNING');
    await Promise.all(running.map(async (c) => {
      const grace = pod?.metadata?.deletionGracePeriodSeconds ?? pod?.spec?.terminationGracePeriodSeconds
        ?? (Number(c.annotations[TERMINATION_GRACE]) || 30);
      const name = c.metadata.name;
      if (!pod) { await this.d.cri.stopContainer(c.id, grace).catch(() => undefined); return; }
      const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((x) => x.name === name);
      await this.killContainer(pod, spec, c.id, pod.status?.podIP, grace, `Stopping container ${name}`, `spec.containers{${name}}`);
    }));
    for (const s of rt.sandboxes) await this.d.cri.stopPodSandbox(s.id).catch(() => undefined);
    for (const c of [...rt.containers.values()].flat()) { await this.d.cri.removeContainer(c.id).catch(() => undefined); this.exitedCache.delete(c.id); }
    for (const s of rt.sandboxes) await this.d.cri.removePodSandbox(s.id).catch(() => undefined);
    removePodDir(this.d.rootDir, uid);
    this.backoff.forgetPrefix(`${uid}/`);
    this.lastStatus.delete(uid);
    this.d.events.forget(uid);
    if (pod?.metadata?.deletionTimestamp) {
      const m = pod.metadata;
      await this.d.api.delete(resources.pods, m.namespace, m.name!, { gracePeriodSeconds: 0, preconditions: { uid: m.uid } })
        .catch((e: unknown) => { if (!isNotFound(e) && !isConflict(e)) throw e; });
    }
  }

  /**
   * Stops one container as upstream's killContainer does: its preStop hook first, within the grace period,
   * then SIGTERM with what is left of it (at least 2 s), then SIGKILL.
   */
  private async killContainer(pod: Pod, spec: Container | undefined, id: string, podIP: string | undefined, grace: number,
    message: string, field: string): Promise<void> {
    this.d.events.event(pod, 'Normal', 'Killing', message, field);
    let remaining = grace;
    const preStop = spec?.lifecycle?.preStop;
    if (spec && preStop && grace > 0) {
      const began = Date.now();
      const ip = pod.spec?.hostNetwork ? this.d.hostIP : podIP ?? '';
      const hook = runHook(preStop, { podIP: ip, containerId: id, container: spec }, pod, this.d.cri, grace);
      const failure = await Promise.race([hook, new Promise<undefined>((r) => setTimeout(r, grace * 1000))]);
      if (failure) this.d.events.event(pod, 'Warning', 'FailedPreStopHook', failure, field);
      remaining = Math.max(2, grace - Math.floor((Date.now() - began) / 1000));
    }
    await this.d.cri.stopContainer(id, remaining).catch(() => undefined);
  }

  async sync(pod: Pod): Promise<void> {
    const uid = pod.metadata!.uid!;
    if (pod.metadata?.deletionTimestamp) { await this.terminate(uid, pod); return; }
    logStep(pod, 'sync');
    let rt = await this.runtime(uid);
    const waiting = new Map<string, Waiting>();
    const policy = pod.spec?.restartPolicy ?? 'Always';

    if (isTerminalPhase(pod.status?.phase)) {
      // Upstream keeps a finished pod's containers (for logs) but releases its sandbox and IP.
      for (const s of rt.sandboxes.filter((x) => x.state === 'SANDBOX_READY')) await this.d.cri.stopPodSandbox(s.id);
      return;
    }

    let sandbox = rt.sandboxes.find((s) => s.state === 'SANDBOX_READY');
    let podIPs: string[] = [];
    const images = new Map<string, Promise<Image | undefined>>();
    if (!sandbox) {
      const everRan = rt.sandboxes.length > 0;
      // A dead sandbox takes its containers with it: upstream kills them and starts over in a new one.
      for (const c of [...rt.containers.values()].flat().filter((x) => x.state === 'CONTAINER_RUNNING')) {
        await this.d.cri.stopContainer(c.id, 0).catch(() => undefined);
      }
      if (!(everRan && policy === 'Never')) {
        // The images' lookups need no sandbox, so they run while it is created.
        for (const c of [...(pod.spec?.initContainers ?? []), ...pod.spec!.containers]) {
          const image = c.image ?? '';
          if (images.has(image)) continue;
          const lookup = this.d.cri.imageStatus(image);
          lookup.catch(() => undefined);
          images.set(image, lookup);
        }
        const config = sandboxConfig(pod, rt.sandboxes.length, this.d.sandbox);
        mkdirSync(config.logDirectory, { recursive: true });
        // The new sandbox's status is all this sync needs of it; no relist.
        const sbid = await this.d.cri.runPodSandbox(config);
        logStep(pod, 'sandbox created', { sandbox: sbid });
        sandbox = await this.d.cri.podSandboxStatus(sbid);
      }
    }
    if (sandbox) {
      const st = 'network' in sandbox ? sandbox as PodSandboxStatus : await this.d.cri.podSandboxStatus(sandbox.id);
      podIPs = st.network?.ip ? [st.network.ip, ...st.network.additionalIps.map((x) => x.ip)] : [];
    }
    const view: RuntimeView = { sandboxReady: !!sandbox, podIPs, containers: rt.containers };

    // The events of this sync's container starts are written after its status: on a pod's start path
    // their writes would otherwise compete with the CRI calls and the status write.
    const held: (() => void)[] = [];
    try {
      if (sandbox) {
        const sbConfig = sandboxConfig(pod, sandbox.metadata.attempt, this.d.sandbox);
        const started = await this.startNext(pod, sandbox.id, sbConfig, view, waiting, podIPs, { images, held });
        if (started) {
          rt = await this.runtime(uid);
          view.containers = rt.containers;
        }
      }
      await this.pushStatus(pod, view, waiting);
    } finally {
      for (const write of held.splice(0)) write();
    }
    await this.pruneOld(rt);
    this.ensureProbes(pod, view);
  }

  /** Starts (or restarts) whatever is due; returns whether the runtime changed. */
  private async startNext(pod: Pod, sandboxId: string, sbConfig: ReturnType<typeof sandboxConfig>, view: RuntimeView,
    waiting: Map<string, Waiting>, podIPs: string[], started: StartContext): Promise<boolean> {
    const uid = pod.metadata!.uid!;
    const policy = pod.spec?.restartPolicy ?? 'Always';
    let changed = false;

    // Liveness failures: stop the container now; the restart below follows the restart policy.
    for (const [, history] of view.containers) {
      const newest = history[0];
      if (newest && newest.state === 'CONTAINER_RUNNING' && this.livenessFailed.has(newest.id)) {
        this.livenessFailed.delete(newest.id);
        const name = newest.metadata.name;
        const spec = [...(pod.spec?.initContainers ?? []), ...pod.spec!.containers].find((x) => x.name === name);
        await this.killContainer(pod, spec, newest.id, view.podIPs[0], pod.spec?.terminationGracePeriodSeconds ?? 30,
          `Container ${name} failed liveness probe, will be restarted`, `spec.containers{${name}}`);
        changed = true;
      }
    }
    if (changed) return true;

    const volumes = await prepareVolumes(pod, this.d.rootDir, this.d.objects, this.d.allocatable)
      .catch((e: unknown) => { if (e instanceof EnvError) return e; throw e; });
    if (volumes instanceof EnvError) {
      for (const c of [...(pod.spec?.initContainers ?? []), ...pod.spec!.containers]) waiting.set(c.name, { reason: 'ContainerCreating' });
      this.d.events.event(pod, 'Warning', 'FailedMount', volumes.message);
      this.d.requeue(uid, 2000);
      return false;
    }
    const etcHosts = pod.spec?.hostNetwork ? undefined : path.join(podDir(this.d.rootDir, uid), 'etc-hosts');
    if (etcHosts) {
      mkdirSync(path.dirname(etcHosts), { recursive: true });
      writeFileSync(etcHosts, etcHostsContent(pod, podIPs));
    }

    const start = async (c: Container, restartCount: number, field: string): Promise<void> => {
      const record = (type: EventType, reason: string, message: string): void => {
        started.held.push(() => this.d.events.event(pod, type, reason, message, field));
      };
      let env: { key: string; value: string }[];
      try { env = await containerEnv({ ...pod, status: { ...pod.status, podIP: podIPs[0], podIPs: podIPs.map((ip) => ({ ip })), hostIP: this.d.hostIP, hostIPs: [{ ip: this.d.hostIP }] } }, c, this.d.objects, this.d.allocatable); } catch (e) {
        if (!(e instanceof EnvError)) throw e;
        waiting.set(c.name, { reason: e.reason, message: e.message });
        record('Warning', 'Failed', `Error: ${e.message}`);
        this.d.requeue(uid, 2000);
        return;
      }
      const image = c.image ?? '';
      if (!(await (started.images.get(image) ?? this.d.cri.imageStatus(image)))) {
        waiting.set(c.name, { reason: 'ErrImagePull', message: `image "${image}" is not present on this node and kubets pulls nothing` });
        record('Warning', 'Failed', `Failed to pull image "${image}": not present on the node (no registry is reachable)`);
        this.d.requeue(uid, 10_000);
        return;
      }
      record('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      const config = containerConfig({
        pod, container: c, restartCount, env, volumes, etcHosts, nodeName: this.d.sandbox.nodeName, nodeMemoryBytes: this.d.nodeMemoryBytes,
      });
      let id: string;
      try {
        id = await this.d.cri.createContainer(sandboxId, config, sbConfig);
      } catch (e) {
        waiting.set(c.name, { reason: 'CreateContainerError', message: e instanceof Error ? e.message : String(e) });
        this.d.requeue(uid, 5000);
        return;
      }
      logStep(pod, 'container created', { container: c.name, id });
      record('Normal', 'Created', `Created container ${c.name}`);
      try {
        await this.d.cri.startContainer(id);
        logStep(pod, 'container started', { container: c.name, id });
        record('Normal', 'Started', `Started container ${c.name}`);
        const postStart = c.lifecycle?.postStart;
        if (postStart) {
          // A hook can take long: the events so far are written before it runs, in their order.
          for (const write of started.held.splice(0)) write();
          // As upstream: the pod's sync waits for the hook; a failed hook kills the container, whose restart
          // then follows the restart policy.
          const podIP = pod.spec?.hostNetwork ? this.d.hostIP : podIPs[0] ?? '';
          const failure = await runHook(postStart, { podIP, containerId: id, container: c }, pod, this.d.cri, 0);
          if (failure) {
            this.d.events.event(pod, 'Warning', 'FailedPostStartHook', failure, field);
            await this.killContainer(pod, c, id, podIP, pod.spec?.terminationGracePeriodSeconds ?? 30, 'FailedPostStartHook', field);
          }
        }
      } catch (e) {
        record('Warning', 'Failed', `Error: ${e instanceof Error ? e.message : String(e)}`);
      }
      changed = true;
    };

    /** Whether an exited container may restart now; records CrashLoopBackOff otherwise. */
    const mayRestart = (c: Container, newest: CriContainerStatus, field: string): boolean => {
      const key = `${uid}/${c.name}`;
      const wait = this.backoff.remaining(key, nanosToMs(newest.finishedAt));
      if (wait <= 0) { this.backoff.restarted(key); return true; }
      const m = pod.metadata!;
      const msg = `back-off ${goDuration(this.backoff.delayMs(key))} restarting failed container=${c.name} pod=${m.name}_${m.namespace}(${uid})`;
      waiting.set(c.name, { reason: 'CrashLoopBackOff', message: msg });
      this.d.events.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${m.name}_${m.namespace}(${uid})`, field);
      this.d.requeue(uid, wait + 50);
      return false;
    };

    const nextRestart = (newest: CriContainerStatus): number => (Number(newest.annotations['io.kubernetes.container.restartCount']) || 0) + 1;

    // Init containers, one at a time, in order.
    for (const c of pod.spec?.initContainers ?? []) {
      const field = `spec.initContainers{${c.name}}`;
      const newest = view.containers.get(c.name)?.[0];
      if (!newest) { await start(c, 0, field); return changed; }
      if (c.restartPolicy === 'Always') {
        if (newest.state === 'CONTAINER_EXITED' && mayRestart(c, newest, field)) await start(c, nextRestart(newest), field);
        if (newest.state !== 'CONTAINER_RUNNING') return changed;
        continue;
      }
      if (newest.state === 'CONTAINER_RUNNING' || newest.state === 'CONTAINER_CREATED') return changed;
      if (newest.exitCode === 0) continue;
      if (policy !== 'Never' && mayRestart(c, newest, field)) await start(c, nextRestart(newest), field);
      return changed;
    }
    if (!initDone(pod, view)) return changed;

    for (const c of pod.spec!.containers) {
      const field = `spec.containers{${c.name}}`;
      const newest = view.containers.get(c.name)?.[0];
      if (!newest) { await start(c, 0, field); continue; }
      if (newest.state !== 'CONTAINER_EXITED') continue;
      const restart = policy === 'Always' || (policy === 'OnFailure' && newest.exitCode !== 0);
      if (restart && mayRestart(c, newest, field)) await start(c, nextRestart(newest), field);
    }
    return changed;
  }

  private async pushStatus(pod: Pod, view: RuntimeView, waiting: Map<string, Waiting>): Promise<void> {
    const status: PodStatus = computePodStatus({
      pod, view, hostIP: this.d.hostIP, waiting, now: new Date(),
      ready: (id, c) => this.d.prober.result('readiness', id, c) && this.d.prober.result('startup', id, c),
      started: (id, c) => this.d.prober.result('startup', id, c),
    });
    const uid = pod.metadata!.uid!;
    const m = pod.metadata!;
    // Nothing to write when the API has this status already, or when this copy of the pod is the one our last
    // write (of this same status) replaced or produced: a sync woken by the runtime can run before our own
    // write's watch event arrives.
    const last = this.lastStatus.get(uid);
    if (deepEqual(pod.status, status) || (last && last.resourceVersions.includes(m.resourceVersion) && deepEqual(last.status, status))) return;
    try {
      const written = await this.d.api.patch<Pod>(resources.pods, m.namespace, m.name!, { metadata: { uid: m.uid }, status }, 'merge', 'status');
      this.lastStatus.set(uid, { status, resourceVersions: [m.resourceVersion, written.metadata?.resourceVersion] });
      logStep(pod, 'status written', { phase: status.phase });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Keeps the newest two instances of each container (the previous one serves `logs --previous`). */
  private async pruneOld(rt: PodRuntime): Promise<void> {
    for (const history of rt.containers.values()) {
      for (const old of history.slice(2)) {
        if (old.state !== 'CONTAINER_EXITED') continue;
        await this.d.cri.removeContainer(old.id).catch(() => undefined);
        this.exitedCache.delete(old.id);
      }
    }
  }

  private ensureProbes(pod: Pod, view: RuntimeView): void {
    const uid = pod.metadata!.uid!;
    for (const c of [...(pod.spec?.initContainers ?? []).filter((x) => x.restartPolicy === 'Always'), ...pod.spec!.containers]) {
      const newest = view.containers.get(c.name)?.[0];
      if (newest?.state !== 'CONTAINER_RUNNING' || !view.podIPs[0] && !pod.spec?.hostNetwork) continue;
      this.d.prober.ensure(uid, { podIP: pod.spec?.hostNetwork ? this.d.hostIP : view.podIPs[0]!, containerId: newest.id, container: c },
        nanosToMs(newest.startedAt));
    }
  }
}
