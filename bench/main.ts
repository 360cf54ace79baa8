// `npm run bench`: starts a throwaway kubets cluster, measures the apiserver beside raw etcd3 on the
// same etcd (create, get, list, watch fan-out, memory at 10k pods) with only those two started, then the rest of the cluster; pod start on the node beside the raw CRI sequence, then a
// Deployment on hollow kubelets and the scheduler on hollow nodes; prints a report and tears down.
import os from 'node:os';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { newEtcdClient } from '../src/registry/etcd-client';
import { ApiClient } from './api-client';
import { clusterDown, clusterUp, newDataDir, type BenchCluster } from './cluster';
import { progress, runPhases } from './phases';
import { podStartPhase, renderPodStart } from './pod-start';
import { renderReport } from './report';
import { sleep } from './stats';
import type { BenchContext } from './context';

async function waitReady(api: ApiClient): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await api.request('GET', '/readyz')).status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error('apiserver not ready after 60s');
    await sleep(250);
  }
}

async function createNamespace(api: ApiClient, name: string): Promise<void> {
  const r = await api.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  if (r.status !== 201 && r.status !== 409) throw new Error(`create namespace ${name}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '26443' },
      duration: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '16' },
      watchers: { type: 'string', default: '500' },
      events: { type: 'string', default: '50' },
      pods: { type: 'string', default: '10000' },
      'max-creates': { type: 'string', default: '3000' },
      'hollow-nodes': { type: 'string', default: '1000' },
      'scheduler-pods': { type: 'string', default: '10000' },
      'bind-baseline': { type: 'string', default: '2000' },
      'deploy-nodes': { type: 'string', default: '100' },
      'deploy-replicas': { type: 'string', default: '1000' },
      // Only the Deployment and scheduler sections: no apiserver-vs-etcd phases, no pod start on containerd.
      'control-plane-only': { type: 'boolean', default: false },
      // Only the pod start section on containerd (a quick loop while working on the kubelet).
      'pod-start-only': { type: 'boolean', default: false },
      // Only the create comparison (warm-up included), for quick before/after runs while tuning the write path.
      'create-only': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  type NumberFlag = 'port' | 'duration' | 'concurrency' | 'watchers' | 'events' | 'pods' | 'max-creates' | 'hollow-nodes' | 'scheduler-pods'
    | 'bind-baseline' | 'deploy-nodes' | 'deploy-replicas';
  const num = (k: NumberFlag, zeroOk = false): number => {
    const n = Number(values[k]);
    if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroOk)) throw new Error(`--${k} must be a positive number`);
    return n;
  };
  // Parsed up front, so a bad flag fails before anything is created.
  const port = num('port');
  const concurrency = num('concurrency');
  const durationMs = num('duration') * 1000;
  const phaseOptions = {
    watchers: num('watchers'), events: num('events'), pods: num('pods'), maxCreates: num('max-creates'),
    // --scheduler-pods 0 skips the scheduler section.
    hollowNodes: num('hollow-nodes'), schedulerPods: num('scheduler-pods', true), bindBaseline: num('bind-baseline'),
    // --deploy-replicas 0 skips the Deployment section.
    deployNodes: num('deploy-nodes'), deployReplicas: num('deploy-replicas', true), controlPlaneOnly: values['control-plane-only']!,
    createOnly: values['create-only']!,
  };
  const dataDir = newDataDir();
  let stopped = false;
  const teardown = (): void => {
    if (stopped) return;
    stopped = true;
    if (values.keep) { progress(`--keep: cluster left running, data dir ${dataDir}`); return; }
    // `up` records cluster.json before it starts anything, so without it there is nothing to stop.
    if (existsSync(path.join(dataDir, 'cluster.json'))) {
      progress('stopping cluster');
      const err = clusterDown(dataDir);
      if (err) process.stderr.write(`${err}\n`);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => { teardown(); process.exit(130); });

  // The apiserver phases measure the apiserver beside etcd alone: the rest of the cluster starts after them.
  const staged = !values['pod-start-only'] && !phaseOptions.controlPlaneOnly;
  progress(`starting ${staged ? 'etcd and the apiserver' : 'cluster'} (data dir ${dataDir}, port ${port})`);
  let cluster: BenchCluster;
  try {
    cluster = clusterUp(dataDir, port, staged ? ['etcd', 'apiserver'] : undefined);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    teardown();
    return 1;
  }
  const api = new ApiClient(cluster.api, concurrency);
  // The apiserver's own etcd3 client configuration, so both sides of each comparison use the same client.
  const etcd = newEtcdClient(cluster.etcdEndpoints);
  const scratchPrefix = `/kubets-bench-scratch/${Date.now().toString(36)}/`;
  try {
    try {
      await waitReady(api);
      await createNamespace(api, 'bench');
    } catch (err) {
      process.stderr.write(`cluster started but is unusable: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    const ctx: BenchContext = {
      api, creds: cluster.api, kubeconfig: path.join(dataDir, 'kubeconfig'), etcd, namespace: 'bench', scratchPrefix, pods: [], rawKeys: [],
      pids: { apiserver: cluster.apiserverPid, etcd: cluster.etcdPid, controllerManager: cluster.controllerManagerPid, scheduler: cluster.schedulerPid }, concurrency, durationMs,
    };
    const started = Date.now();
    // Other work on the host skews every figure here; the report shows load before and after.
    const loadBefore = os.loadavg()[0]!;
    if (values['pod-start-only']) {
      progress('pod start: 30 pods through the kubelet, 30 raw CRI sequences');
      process.stdout.write(renderPodStart(await podStartPhase(api, dataDir, 'bench')));
      return 0;
    }
    let podStart = '';
    // On the node before the hollow-node sections, so their clean-up's load does not fall on it.
    const startRest = async (): Promise<Partial<BenchContext['pids']>> => {
      const full = clusterUp(dataDir, port);
      return { controllerManager: full.controllerManagerPid, scheduler: full.schedulerPid };
    };
    const res = await runPhases(ctx, phaseOptions, {
      startRest: staged ? startRest : undefined,
      betweenSections: async () => {
        if (phaseOptions.controlPlaneOnly || phaseOptions.createOnly) return;
        progress('pod start: 30 pods through the kubelet, 30 raw CRI sequences');
        podStart = await podStartPhase(api, dataDir, 'bench').then(renderPodStart, (err: unknown) =>
          `\nPod start: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    });
    process.stdout.write(renderReport(res, {
      server: cluster.api.server.origin, apiserverPid: cluster.apiserverPid, etcd: cluster.etcdEndpoints.join(','),
      etcdPid: cluster.etcdPid, seconds: (Date.now() - started) / 1000, loadBefore,
    }));
    process.stdout.write(podStart);
    return 0;
  } finally {
    await etcd.delete().prefix(scratchPrefix).catch(() => undefined);
    etcd.close();
    await api.close();
    teardown();
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
