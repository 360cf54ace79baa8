// `kubets kubelet --runtime fake --nodes N`: N hollow kubelets in one process (kubemark's idea), each a
// real NodeAgent and PodWorkers over its own FakeRuntime, sharing one API client, one pods informer that
// dispatches by spec.nodeName, and one timer that spreads relists and resyncs; no server, no streams.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { EventRecorder } from '../../client/event-recorder';
import { Informer } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import type { RestClient } from '../../client/rest-client';
import { logger } from '../../log';
import { FAKE_RUNTIME_NAME, FAKE_RUNTIME_VERSION, FakeRuntime } from '../cri/fake-runtime';
import type { NodeAllocatable } from './downward-api';
import { NodeAgent } from './node-status';
import { cachedObjectSource } from './object-source';
import { apiObjectSource } from './api-object-source';
import { PodWorkers } from './pod-workers';
import { criProbeRunner, type ProbeRunner } from './prober';

/** Every hollow node's capacity (and allocatable): a small machine, upstream's default pod limit. */
export const HOLLOW_CAPACITY: Readonly<NodeAllocatable & { pods: string }> = { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' };
/** Label on every hollow Node, so tests and benches can find (and delete) them. */
export const HOLLOW_LABEL = 'kubets.io/hollow';
const MAX_NODES = 5000;
const REGISTER_CONCURRENCY = 16;
const RELIST_PERIOD_S = 10;
const RESYNC_PERIOD_S = 60;

export interface HollowOptions {
  api: RestClient;
  nodes: number;
  prefix: string;
  /** Where pods' volume files and /etc/hosts go; a scratch directory (removed at exit) when unset. */
  rootDir?: string;
  clusterDns: string[];
  clusterDomain: string;
}

/**
 * Node i's fake pod range, 10.128.0.0/24 upwards: clear of the real node's 10.244.x.0/24 and the
 * service range. Nothing ever routes to it: the fake runtime only hands the addresses out.
 */
export function hollowPodCidr(i: number): string {
  return `10.${128 + Math.floor(i / 256)}.${i % 256}.0/24`;
}

/** Node i's InternalIP, on loopback: anything that does try to reach a hollow node stays on this machine. */
export function hollowHostIP(i: number): string {
  return `127.1.${Math.floor(i / 256)}.${(i % 256) + 1}`;
}

/** exec probes through the fake runtime (which answers success); httpGet and tcpSocket pass without connecting to fake IPs. */
function hollowProbes(cri: FakeRuntime): ProbeRunner {
  const viaCri = criProbeRunner(cri);
  return (p, t) => (p.exec ? viaCri(p, t) : Promise.resolve({ ok: true, output: '' }));
}

interface HollowNode { agent: NodeAgent; pods: PodWorkers; runtime: FakeRuntime }

async function inBatches(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await fn(next++);
  }));
}

export async function runHollowNodes(o: HollowOptions): Promise<() => void> {
  if (!Number.isInteger(o.nodes) || o.nodes < 1 || o.nodes > MAX_NODES) throw new Error(`--nodes must be an integer from 1 to ${MAX_NODES}`);
  const names = Array.from({ length: o.nodes }, (_, i) => `${o.prefix}${i}`);
  const realNode = os.hostname().toLowerCase();
  if (names.includes(realNode)) throw new Error(`hollow node names must not take this machine's node name ${realNode}: choose another --node-name-prefix`);
  const scratch = o.rootDir ? undefined : mkdtempSync(path.join(os.tmpdir(), 'kubets-hollow-'));
  const root = o.rootDir ?? scratch!;
  const api = o.api;
  // One source (and one Service informer) for every hollow node's containers.
  const source = apiObjectSource(api);
  const objects = cachedObjectSource(source.objects, 10_000);
  const runtimeVersion = `${FAKE_RUNTIME_NAME}://${FAKE_RUNTIME_VERSION}`;

  const nodes = new Map<string, HollowNode>();
  names.forEach((name, i) => {
    const runtime = new FakeRuntime(hollowPodCidr(i));
    const hostIP = hollowHostIP(i);
    const rootDir = path.join(root, name);
    const pods = new PodWorkers({
      api, cri: runtime, events: new EventRecorder(api, 'kubelet', name), objects, rootDir, hostIP, probes: hollowProbes(runtime),
      allocatable: HOLLOW_CAPACITY, nodeMemoryBytes: 16 * 1024 ** 3,
      sandbox: { nodeName: name, logRoot: path.join(rootDir, 'logs'), cgroupParent: '/kubets-hollow',
        dns: { clusterDns: o.clusterDns, clusterDomain: o.clusterDomain, host: { servers: [], searches: [], options: [] } } },
    });
    const agent = new NodeAgent(api, {
      name, hostIP, podCidr: hollowPodCidr(i), port: 0, runtimeVersion, capacity: () => ({ ...HOLLOW_CAPACITY }),
      labels: { [HOLLOW_LABEL]: 'true' }, renewOffsetMs: Math.floor(Math.random() * 10_000),
    });
    nodes.set(name, { agent, pods, runtime });
  });

  await inBatches(names.length, REGISTER_CONCURRENCY, async (i) => {
    for (let attempt = 0; ; attempt++) {
      try { await nodes.get(names[i]!)!.agent.start(); return; } catch (e) {
        if (attempt >= 5) throw e;
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
      }
    }
  });

  // One informer over every pod, not one watch per node: a pod goes to the hollow node it is bound to.
  const informer = new Informer<Pod>(api, resources.pods);
  const owner = (p: Pod): PodWorkers | undefined => (p.spec?.nodeName ? nodes.get(p.spec.nodeName)?.pods : undefined);
  informer.on('add', (p) => owner(p)?.upsert(p));
  informer.on('update', (p) => owner(p)?.upsert(p));
  informer.on('delete', (p) => owner(p)?.remove(p));
  void informer.start();
  void informer.synced().then(() => { for (const n of nodes.values()) n.pods.markSynced(); });

  // Each second a tenth of the nodes relist and a sixtieth resync, so no second carries them all.
  const all = [...nodes.values()];
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    all.forEach((n, i) => {
      if (i % RELIST_PERIOD_S === tick % RELIST_PERIOD_S) void n.pods.relist().catch(() => undefined);
      if (i % RESYNC_PERIOD_S === tick % RESYNC_PERIOD_S) n.pods.resync();
    });
  }, 1000);
  logger.info({ nodes: o.nodes, first: names[0], last: names[names.length - 1], root }, 'hollow kubelets running');

  return () => {
    clearInterval(timer);
    informer.stop();
    source.stop();
    for (const n of all) { n.pods.stop(); n.agent.stop(); n.runtime.close(); }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
}
