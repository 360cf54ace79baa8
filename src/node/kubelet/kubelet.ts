// `kubets kubelet`: the node agent. An API client only: it registers its Node, keeps its Lease, watches
// the pods bound to it and runs one worker per pod that drives containerd through the CRI; a relist of
// the runtime every second (upstream's PLEG) wakes workers whose containers changed.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { ConfigMap, Pod, Secret } from 'kubernetes-types/core/v1';
import { EventRecorder } from '../../client/event-recorder';
import { Informer } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { RestClient } from '../../client/rest-client';
import { logger } from '../../log';
import { CriClient } from '../cri/cri-client';
import { NODE_NAME, POD_UID } from './cri-labels';
import { startKubeletServer } from './kubelet-server';
import { hostIPv4 } from '../../host-address';
import { machineCapacity, NodeAgent } from './node-status';
import type { ObjectSource } from './object-source';
import { PodSyncer } from './pod-sync';
import { Prober } from './prober';

const RELIST_MS = 1000;
const RESYNC_MS = 10_000;

async function waitForRuntime(cri: CriClient): Promise<string> {
  for (let i = 0; ; i++) {
    try { const v = await cri.version(); return `${v.runtimeName}://${v.runtimeVersion}`; } catch (e) {
      if (i >= 120) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      'root-dir': { type: 'string' },
      'container-runtime-endpoint': { type: 'string' },
      'hostname-override': { type: 'string' },
      'node-ip': { type: 'string' },
      'pod-cidr': { type: 'string', default: '' },
      'cgroup-root': { type: 'string', default: '/kubets' },
      'tls-cert-file': { type: 'string' },
      'tls-private-key-file': { type: 'string' },
      'client-ca-file': { type: 'string' },
      address: { type: 'string', default: '0.0.0.0' },
      port: { type: 'string', default: '10250' },
      'cluster-dns': { type: 'string', default: '' },
      'cluster-domain': { type: 'string', default: 'cluster.local' },
    },
    strict: true,
  });
  const need = (k: 'kubeconfig' | 'root-dir' | 'container-runtime-endpoint' | 'tls-cert-file' | 'tls-private-key-file' | 'client-ca-file'): string => {
    const v = values[k];
    if (!v) throw new Error(`--${k} is required`);
    return v;
  };
  const nodeName = (values['hostname-override'] ?? os.hostname()).toLowerCase();
  const rootDir = need('root-dir');
  const api = await RestClient.fromKubeConfigFile(need('kubeconfig'), 'kubelet');
  const cri = new CriClient(need('container-runtime-endpoint').replace(/^unix:\/\//, ''));
  const runtimeVersion = await waitForRuntime(cri);
  const hostIP = values['node-ip'] ?? hostIPv4();
  const port = Number(values.port);
  const capacity = machineCapacity(rootDir);

  const pods = new Map<string, Pod>();
  const events = new EventRecorder(api, 'kubelet', nodeName);
  const workers = new Map<string, { running: boolean; dirty: boolean }>();
  const timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  let synced = false;
  let stopping = false;

  const objects: ObjectSource = {
    configMap: (ns, name) => api.find<ConfigMap>(resources.configmaps, ns, name),
    secret: (ns, name) => api.find<Secret>(resources.secrets, ns, name),
  };
  const prober = new Prober(cri, {
    changed: (uid, kind, containerId, ok) => {
      if (kind === 'liveness' && !ok) syncer.livenessFailed.add(containerId);
      schedule(uid);
    },
    failed: (uid, kind, name, output) => {
      const pod = pods.get(uid);
      const label = kind[0]!.toUpperCase() + kind.slice(1);
      if (pod) events.event(pod, 'Warning', 'Unhealthy', `${label} probe failed: ${output}`, `spec.containers{${name}}`);
    },
  });
  const syncer: PodSyncer = new PodSyncer({
    api, cri, events, prober, objects, rootDir, hostIP,
    allocatable: capacity, nodeMemoryBytes: os.totalmem(),
    sandbox: {
      nodeName, logRoot: `${rootDir}/logs/pods`, cgroupParent: values['cgroup-root']!,
      clusterDns: values['cluster-dns'] ? values['cluster-dns'].split(',') : [], clusterDomain: values['cluster-domain']!,
    },
    requeue: (uid, ms) => {
      const at = Date.now() + ms;
      const prev = timers.get(uid);
      if (prev && prev.at <= at) return;
      if (prev) clearTimeout(prev.timer);
      timers.set(uid, { at, timer: setTimeout(() => { timers.delete(uid); schedule(uid); }, ms) });
    },
  });

  async function syncOne(uid: string): Promise<void> {
    const pod = pods.get(uid);
    if (pod) await syncer.sync(pod);
    else if (synced) await syncer.terminate(uid, undefined);
  }

  function schedule(uid: string): void {
    if (stopping) return;
    let w = workers.get(uid);
    if (!w) { w = { running: false, dirty: false }; workers.set(uid, w); }
    w.dirty = true;
    if (w.running) return;
    w.running = true;
    const worker = w;
    void (async () => {
      while (worker.dirty && !stopping) {
        worker.dirty = false;
        try { await syncOne(uid); } catch (e) {
          logger.warn({ uid, err: e instanceof Error ? e.message : String(e) }, 'pod sync failed; retrying');
          setTimeout(() => schedule(uid), 2000);
        }
      }
      worker.running = false;
      if (!pods.has(uid)) workers.delete(uid);
    })();
  }

  // The runtime's view, relisted every second: a change in any pod's sandboxes or containers wakes its worker.
  const fingerprints = new Map<string, string>();
  async function relist(): Promise<void> {
    const [sandboxes, containers] = await Promise.all([
      cri.listPodSandbox({ labelSelector: { [NODE_NAME]: nodeName } }),
      cri.listContainers({ labelSelector: { [NODE_NAME]: nodeName } }),
    ]);
    const now = new Map<string, string[]>();
    for (const s of sandboxes) { const u = s.labels[POD_UID]; if (u) now.set(u, [...(now.get(u) ?? []), `${s.id}:${s.state}`]); }
    for (const c of containers) { const u = c.labels[POD_UID]; if (u) now.set(u, [...(now.get(u) ?? []), `${c.id}:${c.state}`]); }
    const live = new Set(containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.id));
    prober.retain(live);
    for (const [uid, parts] of now) {
      const fp = parts.sort().join(',');
      if (fingerprints.get(uid) !== fp) { fingerprints.set(uid, fp); schedule(uid); }
      else if (synced && !pods.has(uid)) schedule(uid);
    }
    for (const uid of [...fingerprints.keys()]) if (!now.has(uid)) fingerprints.delete(uid);
  }

  const agent = new NodeAgent(api, { name: nodeName, hostIP, podCidr: values['pod-cidr']!, port, runtimeVersion, rootDir });
  await agent.start();
  const server = await startKubeletServer(cri, {
    cert: readFileSync(need('tls-cert-file')), key: readFileSync(need('tls-private-key-file')),
    clientCA: readFileSync(need('client-ca-file')), address: values.address!, port,
  });

  // The pods bound to this node, listed then watched (relisted after 410) by the shared informer.
  const podInformer = new Informer<Pod>(api, resources.pods, { fieldSelector: `spec.nodeName=${nodeName}` });
  const seen = (p: Pod): void => { const uid = p.metadata!.uid!; pods.set(uid, p); schedule(uid); };
  podInformer.on('add', seen);
  podInformer.on('update', seen);
  podInformer.on('delete', (p) => { const uid = p.metadata!.uid!; pods.delete(uid); schedule(uid); });
  void podInformer.start();
  void podInformer.synced().then(() => {
    synced = true;
    for (const uid of pods.keys()) schedule(uid);
    void relist().catch(() => undefined);
  });

  const relistTimer = setInterval(() => { void relist().catch(() => undefined); }, RELIST_MS);
  const resyncTimer = setInterval(() => { for (const uid of pods.keys()) schedule(uid); }, RESYNC_MS);
  logger.info({ node: nodeName, port, runtime: runtimeVersion }, 'kubelet running');

  const shutdown = (): void => {
    // Pods keep running: a restarted kubelet adopts them from the runtime's labels.
    stopping = true;
    podInformer.stop();
    clearInterval(relistTimer);
    clearInterval(resyncTimer);
    agent.stop();
    server.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
