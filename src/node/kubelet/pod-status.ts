// PodStatus as upstream's kubelet computes it from what the runtime reports: container statuses (state,
// lastState, restartCount, ready, started, image and container IDs), phase, conditions, IPs, start time.
import type { ContainerState, ContainerStatus as ApiContainerStatus, Container, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import type { ContainerStatus as CriContainerStatus } from '../cri/cri-types';
import { RESTART_COUNT } from './cri-labels';
import { podQOSClass } from '../../registry/resources/pod-qos';

/** A waiting reason the kubelet decided (CrashLoopBackOff, CreateContainerConfigError, ...) for a container's next start. */
export interface Waiting { reason: string; message?: string }

export interface RuntimeView {
  sandboxReady: boolean;
  podIPs: string[];
  /** CRI statuses per container name, newest attempt first. */
  containers: Map<string, CriContainerStatus[]>;
}

export interface StatusInput {
  pod: Pod;
  view: RuntimeView;
  hostIP: string;
  waiting: Map<string, Waiting>;
  /** Readiness and startup probe results by CRI container id (no probe means true). */
  ready(containerId: string, c: Container): boolean;
  started(containerId: string, c: Container): boolean;
  now: Date;
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function fromNanos(ns: number): string {
  return rfc3339(new Date(Math.floor(ns / 1e6)));
}

export const CONTAINER_ID_PREFIX = 'containerd://';

function terminated(s: CriContainerStatus): ContainerState {
  return {
    terminated: {
      exitCode: s.exitCode, reason: s.reason || (s.exitCode === 0 ? 'Completed' : 'Error'),
      ...(s.message ? { message: s.message } : {}),
      startedAt: s.startedAt ? fromNanos(s.startedAt) : undefined, finishedAt: s.finishedAt ? fromNanos(s.finishedAt) : undefined,
      containerID: CONTAINER_ID_PREFIX + s.id,
    },
  };
}

function containerStatus(c: Container, history: CriContainerStatus[], waiting: Waiting | undefined, defaultWaiting: string,
  input: StatusInput): ApiContainerStatus {
  const [newest, previous] = history;
  const base = { name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, started: false };
  if (!newest) return { ...base, state: { waiting: { reason: waiting?.reason ?? defaultWaiting, ...(waiting?.message ? { message: waiting.message } : {}) } }, lastState: {} };
  const common = {
    ...base,
    image: newest.image.image || base.image,
    imageID: newest.imageRef,
    containerID: CONTAINER_ID_PREFIX + newest.id,
    restartCount: Number(newest.annotations[RESTART_COUNT] ?? newest.metadata.attempt) || 0,
  };
  if (newest.state === 'CONTAINER_RUNNING') {
    return {
      ...common,
      state: { running: { startedAt: fromNanos(newest.startedAt) } },
      lastState: previous && previous.state === 'CONTAINER_EXITED' ? terminated(previous) : {},
      ready: input.ready(newest.id, c),
      started: input.started(newest.id, c),
    };
  }
  if (newest.state === 'CONTAINER_EXITED') {
    if (waiting) return { ...common, state: { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } }, lastState: terminated(newest) };
    return { ...common, state: terminated(newest), lastState: previous && previous.state === 'CONTAINER_EXITED' ? terminated(previous) : {} };
  }
  return { ...common, state: { waiting: { reason: 'ContainerCreating' } }, lastState: previous ? terminated(previous) : {} };
}

function condition(type: string, ok: boolean, old: PodCondition[] | undefined, now: Date, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const prev = old?.find((c) => c.type === type);
  return {
    type, status,
    lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now),
    ...(!ok && reason ? { reason } : {}), ...(!ok && message ? { message } : {}),
  };
}

export function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Whether every init container has completed (exited 0), so main containers may start. */
export function initDone(pod: Pod, view: RuntimeView): boolean {
  return (pod.spec?.initContainers ?? []).every((c) => {
    const s = view.containers.get(c.name)?.[0];
    if (c.restartPolicy === 'Always') return s?.state === 'CONTAINER_RUNNING';
    return s?.state === 'CONTAINER_EXITED' && s.exitCode === 0;
  });
}

export function computePodStatus(input: StatusInput): PodStatus {
  const { pod, view, now } = input;
  const spec = pod.spec!;
  const old = pod.status;
  const policy = spec.restartPolicy ?? 'Always';
  const initialized = initDone(pod, view);
  const initStatuses = (spec.initContainers ?? []).map((c) =>
    containerStatus(c, view.containers.get(c.name) ?? [], input.waiting.get(c.name), 'PodInitializing', input));
  const statuses = spec.containers.map((c) =>
    containerStatus(c, view.containers.get(c.name) ?? [], input.waiting.get(c.name), initialized ? 'ContainerCreating' : 'PodInitializing', input));

  const initFailed = (spec.initContainers ?? []).some((c) => {
    const s = view.containers.get(c.name)?.[0];
    return s?.state === 'CONTAINER_EXITED' && s.exitCode !== 0;
  });
  let phase: PodStatus['phase'];
  if (isTerminalPhase(old?.phase)) phase = old!.phase;
  else if (initFailed && policy === 'Never') phase = 'Failed';
  else if (!initialized) phase = 'Pending';
  else {
    let running = 0; let waiting = 0; let stopped = 0; let succeeded = 0;
    for (const s of statuses) {
      if (s.state?.running) running++;
      else if (s.state?.terminated) { stopped++; if (s.state.terminated.exitCode === 0) succeeded++; }
      else if (s.lastState?.terminated) { stopped++; }
      else waiting++;
    }
    if (waiting > 0) phase = 'Pending';
    else if (running > 0) phase = 'Running';
    else if (stopped > 0) {
      if (policy === 'Always') phase = 'Running';
      else if (stopped === succeeded) phase = 'Succeeded';
      else if (policy === 'Never') phase = 'Failed';
      else phase = 'Running';
    } else phase = 'Pending';
  }

  const terminal = isTerminalPhase(phase);
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const incompleteInit = (spec.initContainers ?? []).filter((c) => {
    const s = view.containers.get(c.name)?.[0];
    return !(s?.state === 'CONTAINER_EXITED' && s.exitCode === 0) && !(c.restartPolicy === 'Always' && s?.state === 'CONTAINER_RUNNING');
  }).map((c) => c.name);
  const readyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = terminal ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const allReady = !terminal && unready.length === 0;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', view.sandboxReady, old?.conditions, now),
    condition('Initialized', initialized || terminal, old?.conditions, now,
      'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    condition('Ready', allReady, old?.conditions, now, readyReason, readyMessage),
    condition('ContainersReady', allReady, old?.conditions, now, readyReason, readyMessage),
    old?.conditions?.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', true, undefined, now),
  ];
  if (terminal) conditions[1] = condition('Initialized', true, old?.conditions, now);

  const podIPs = spec.hostNetwork ? [input.hostIP] : view.podIPs;
  return {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(podIPs.length > 0 ? { podIP: podIPs[0], podIPs: podIPs.map((ip) => ({ ip })) } : {}),
    startTime: old?.startTime ?? rfc3339(now),
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: old?.qosClass ?? podQOSClass(spec),
  };
}
