// `kubets kubelet`: the node agent. An API client only: it registers its Node, keeps its Lease, watches
// the pods bound to it and runs one worker per pod that drives containerd through the CRI; a relist of
// the runtime every second (upstream's PLEG) wakes workers whose containers changed. `--runtime fake`
// runs hollow nodes instead (hollow-nodes.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Pod } from 'kubernetes-types/core/v1';
import { EventRecorder } from '../../client/event-recorder';
import { Informer } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { RestClient } from '../../client/rest-client';
import { logger } from '../../log';
import { CriClient } from '../cri/cri-client';
import { runHollowNodes } from './hollow-nodes';
import { startKubeletServer } from './kubelet-server';
import { hostIPv4 } from '../../host-address';
import { machineCapacity, NodeAgent } from './node-status';
import { pressureOf, readSignals } from './node-pressure';
import { apiObjectSource } from './api-object-source';
import { readResolvConf } from './pod-dns';
import { startLocalPathProvisioner } from './local-path-provisioner';
import { PodWorkers } from './pod-workers';
import { criProbeRunner } from './prober';

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
      'resolv-conf': { type: 'string', default: '/etc/resolv.conf' },
      'local-path-dir': { type: 'string' },
      // `--runtime fake --nodes N`: N hollow nodes on an in-memory runtime, for scheduler and scale tests.
      runtime: { type: 'string', default: 'remote' },
      nodes: { type: 'string', default: '1' },
      'node-name-prefix': { type: 'string', default: 'hollow-node-' },
    },
    strict: true,
  });
  if (values.runtime === 'fake') {
    if (!values.kubeconfig) throw new Error('--kubeconfig is required');
    const stop = await runHollowNodes({
      // One client for every hollow node: its 32 sockets also pace their writes, which with more in flight
      // (128 tried) outran the apiserver's watch cache when 1,000 nodes started 2,000 pods at once.
      api: await RestClient.fromKubeConfigFile(values.kubeconfig, 'kubelet'), nodes: Number(values.nodes), prefix: values['node-name-prefix']!,
      rootDir: values['root-dir'], clusterDns: values['cluster-dns'] ? values['cluster-dns'].split(',') : [], clusterDomain: values['cluster-domain']!,
    });
    const shutdown = (): void => { stop(); process.exit(0); };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
    return;
  }
  if (values.runtime !== 'remote') throw new Error(`--runtime must be remote or fake, not ${values.runtime}`);
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

  const events = new EventRecorder(api, 'kubelet', nodeName);
  const source = apiObjectSource(api);
  const objects = source.objects;
  const pods = new PodWorkers({
    api, cri, events, objects, rootDir, hostIP, probes: criProbeRunner(cri),
    allocatable: capacity, nodeMemoryBytes: os.totalmem(),
    sandbox: {
      nodeName, logRoot: `${rootDir}/logs/pods`, cgroupParent: values['cgroup-root']!,
      dns: {
        clusterDns: values['cluster-dns'] ? values['cluster-dns'].split(',') : [], clusterDomain: values['cluster-domain']!,
        host: readResolvConf(values['resolv-conf']!),
      },
    },
  });

  const agent = new NodeAgent(api, {
    name: nodeName, hostIP, podCidr: values['pod-cidr']!, port, runtimeVersion, capacity: () => ({ ...machineCapacity(rootDir) }),
    pressure: () => pressureOf(readSignals(rootDir)),
  });
  await agent.start();
  const stopProvisioner = startLocalPathProvisioner({
    api, nodeName, dir: values['local-path-dir'] ?? path.join(rootDir, 'local-path'),
    log: (msg, fields) => logger.info(fields ?? {}, msg),
  });
  const server = await startKubeletServer(cri, {
    cert: readFileSync(need('tls-cert-file')), key: readFileSync(need('tls-private-key-file')),
    clientCA: readFileSync(need('client-ca-file')), address: values.address!, port,
  });

  // The pods bound to this node, listed then watched (relisted after 410) by the shared informer.
  const podInformer = new Informer<Pod>(api, resources.pods, { fieldSelector: `spec.nodeName=${nodeName}` });
  podInformer.on('add', (p) => pods.upsert(p));
  podInformer.on('update', (p) => pods.upsert(p));
  podInformer.on('delete', (p) => pods.remove(p));
  void podInformer.start();
  void podInformer.synced().then(() => pods.markSynced());

  const relistTimer = setInterval(() => { void pods.relist().catch(() => undefined); }, RELIST_MS);
  const resyncTimer = setInterval(() => pods.resync(), RESYNC_MS);
  logger.info({ node: nodeName, port, runtime: runtimeVersion }, 'kubelet running');

  const shutdown = (): void => {
    // Pods keep running: a restarted kubelet adopts them from the runtime's labels.
    pods.stop();
    podInformer.stop();
    source.stop();
    stopProvisioner();
    clearInterval(relistTimer);
    clearInterval(resyncTimer);
    agent.stop();
    server.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
