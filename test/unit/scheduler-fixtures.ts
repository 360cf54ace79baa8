// Builders for the scheduler's unit tests: hollow nodes and pods as plain API objects, a seeded random
// source, and a cache filled from them.
import type { Affinity, Node, Pod, Taint, Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { SchedulerCache } from '../../src/scheduler/scheduler-cache';

export interface NodeOpts {
  cpu?: string; memory?: string; pods?: number; labels?: Record<string, string>; taints?: Taint[];
  unschedulable?: boolean; extra?: Record<string, string>; images?: { names: string[]; sizeBytes: number }[];
}

export function node(name: string, o: NodeOpts = {}): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110), ...o.extra },
      images: o.images,
    },
  };
}

export interface PodOpts {
  ns?: string; cpu?: string; memory?: string; labels?: Record<string, string>; nodeSelector?: Record<string, string>;
  affinity?: Affinity; tolerations?: Toleration[]; hostPort?: number; protocol?: string; priority?: number;
  spread?: TopologySpreadConstraint[]; nodeName?: string; initCpu?: string; overheadCpu?: string;
  extra?: Record<string, string>; preemptionPolicy?: 'Never' | 'PreemptLowerPriority'; image?: string; startTime?: string;
}

export function pod(name: string, o: PodOpts = {}): Pod {
  const requests: Record<string, string> = { ...o.extra };
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${name}`, labels: o.labels, creationTimestamp: o.startTime ?? '2024-01-01T00:00:00Z' },
    spec: {
      nodeName: o.nodeName, nodeSelector: o.nodeSelector, affinity: o.affinity, tolerations: o.tolerations,
      priority: o.priority ?? 0, preemptionPolicy: o.preemptionPolicy, topologySpreadConstraints: o.spread,
      overhead: o.overheadCpu ? { cpu: o.overheadCpu } : undefined,
      initContainers: o.initCpu ? [{ name: 'init', image: 'busybox', resources: { requests: { cpu: o.initCpu } } }] : undefined,
      containers: [{
        name: 'c', image: o.image ?? 'pause', resources: { requests },
        ports: o.hostPort ? [{ containerPort: o.hostPort, hostPort: o.hostPort, protocol: o.protocol ?? 'TCP' }] : undefined,
      }],
    },
    status: { startTime: o.startTime },
  };
}

/** mulberry32: a small seedable PRNG, so tie-breaks are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function cacheOf(nodes: Node[], bound: Pod[] = []): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.setNode(n);
  for (const p of bound) c.setPod(p);
  return c;
}
