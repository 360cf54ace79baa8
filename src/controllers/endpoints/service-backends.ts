// Which pods back a Service and on which ports, as upstream's endpoints and EndpointSlice controllers
// both decide it: selector match, an IP, not terminal, terminating only when asked, named target ports
// resolved per pod, readiness from the pod's Ready condition (pure, for unit tests).
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import { fromLabelSelector } from '../../registry/label-selector';

export interface Backend {
  pod: Pod;
  ip: string;
  ready: boolean;
  terminating: boolean;
  /** Resolved target port for each service port (by index); undefined where a named port is missing. */
  ports: (number | undefined)[];
}

/** A Service the endpoints controllers manage: one with a non-empty selector. */
export function hasSelector(svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0;
}

export function selects(svc: Service, pod: Pod): boolean {
  if (!hasSelector(svc) || pod.metadata?.namespace !== svc.metadata?.namespace) return false;
  return fromLabelSelector({ matchLabels: svc.spec?.selector })!.matches(pod.metadata?.labels);
}

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Upstream's ShouldPodBeInEndpoints. */
export function shouldBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

/** Upstream's FindPort: a numeric targetPort as is, a named one from the pod's container port of that name and protocol. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
    }
  }
  return undefined;
}

export function backends(svc: Service, pods: Pod[], includeTerminating: boolean): Backend[] {
  const out: Backend[] = [];
  for (const pod of pods) {
    if (!selects(svc, pod) || !shouldBeInEndpoints(pod, includeTerminating)) continue;
    out.push({
      pod, ip: pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip ?? '', ready: isPodReady(pod),
      terminating: pod.metadata?.deletionTimestamp !== undefined,
      ports: (svc.spec?.ports ?? []).map((sp) => findPort(pod, sp)),
    });
  }
  return out;
}

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/**
 * The endpoints.kubernetes.io/last-change-trigger-time value: the newest of the Service's creation and its
 * backends' Ready transitions (or creation), i.e. when the change this write reflects happened.
 */
export function lastChangeTriggerTime(svc: Service, pods: Pod[]): string | undefined {
  let latest = svc.metadata?.creationTimestamp;
  for (const pod of pods) {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? pod.metadata?.creationTimestamp;
    if (ready && (!latest || Date.parse(ready) > Date.parse(latest))) latest = ready;
  }
  return latest;
}
