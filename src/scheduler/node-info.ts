// What the scheduler keeps per node: the Node, the pods on it (bound or assumed), and their summed
// requests and host ports, kept incrementally so a filter judges a node without walking its pods.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { podRequests, resourceList, type Resources } from './resources';

export interface HostPort { ip: string; protocol: string; port: number }

export interface PodInfo {
  key: string;
  pod: Pod;
  requests: Resources;
  nonZeroRequests: Resources;
  ports: HostPort[];
  /** Has pod affinity or anti-affinity (required or preferred): InterPodAffinity scores look at these. */
  hasAffinity: boolean;
  /** Has required pod anti-affinity: the incoming pod must respect it. */
  hasRequiredAntiAffinity: boolean;
}

export function podKey(pod: Pod): string { return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`; }

export function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export function newPodInfo(pod: Pod): PodInfo {
  const a = pod.spec?.affinity;
  const anyAffinity = !!(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
    a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ||
    a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
    a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length);
  return {
    key: podKey(pod), pod, requests: podRequests(pod), nonZeroRequests: podRequests(pod, true), ports: hostPorts(pod),
    hasAffinity: anyAffinity,
    hasRequiredAntiAffinity: !!a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length,
  };
}

export class NodeInfo {
  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = {};
  readonly nonZeroRequested: Resources = {};
  allocatable: Resources = {};
  usedPorts: HostPort[] = [];
  /** Pods with any pod (anti-)affinity, and those with required anti-affinity. */
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;

  constructor(public node: Node | undefined, readonly name: string) { if (node) this.setNode(node); }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceList(node.status?.allocatable as Record<string, string> | undefined);
  }

  get labels(): Record<string, string> { return this.node?.metadata?.labels ?? {}; }

  addPod(pi: PodInfo): void {
    if (this.pods.has(pi.key)) this.removePod(pi.key);
    this.pods.set(pi.key, pi);
    for (const [k, v] of Object.entries(pi.requests)) this.requested[k] = (this.requested[k] ?? 0) + v;
    for (const [k, v] of Object.entries(pi.nonZeroRequests)) this.nonZeroRequested[k] = (this.nonZeroRequested[k] ?? 0) + v;
    if (pi.ports.length) this.usedPorts = [...this.usedPorts, ...pi.ports];
    if (pi.hasAffinity) this.podsWithAffinity++;
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity++;
  }

  removePod(key: string): PodInfo | undefined {
    const pi = this.pods.get(key);
    if (!pi) return undefined;
    this.pods.delete(key);
    for (const [k, v] of Object.entries(pi.requests)) this.requested[k] = (this.requested[k] ?? 0) - v;
    for (const [k, v] of Object.entries(pi.nonZeroRequests)) this.nonZeroRequested[k] = (this.nonZeroRequested[k] ?? 0) - v;
    if (pi.ports.length) this.usedPorts = [...this.pods.values()].flatMap((p) => p.ports);
    if (pi.hasAffinity) this.podsWithAffinity--;
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity--;
    return pi;
  }

  /** A copy whose pods can change without touching this one (preemption's dry runs). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node, this.name);
    for (const pi of this.pods.values()) c.addPod(pi);
    return c;
  }
}
