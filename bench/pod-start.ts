// Pod start latency on the cluster's node: create → Running through the API and the kubets kubelet,
// beside the raw CRI sequence (RunPodSandbox + CreateContainer + StartContainer) on the same containerd,
// one pod at a time, the two sides alternating, in the same run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CriClient } from '../src/node/cri/cri-client';
import type { ApiClient } from './api-client';
import { percentile, sleep } from './stats';
import { table } from './report';

export interface PodStartResult { apiMs: number[]; criMs: number[] }

/** One raw CRI pod start (RunPodSandbox + CreateContainer + StartContainer), timed; then it is removed. */
async function rawCriOnce(cri: CriClient, logRoot: string, i: number): Promise<number> {
  const uid = `bench-raw-${Date.now().toString(36)}-${i}`;
  const logDirectory = path.join(logRoot, uid);
  // No kubelet labels: the kubelet leaves these alone.
  const sb = { metadata: { name: uid, uid, namespace: 'bench-raw', attempt: 0 }, hostname: uid, logDirectory,
    portMappings: [], labels: { 'kubets.io/bench': 'raw' }, annotations: {}, linux: { cgroupParent: '' } };
  const t0 = performance.now();
  const id = await cri.runPodSandbox(sb);
  const cid = await cri.createContainer(id, {
    metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' }, command: ['sleep', '3600'], args: [], workingDir: '', envs: [],
    mounts: [], labels: {}, annotations: {}, logPath: 'c.log', stdin: false, stdinOnce: false, tty: false, linux: { resources: {}, securityContext: {} },
  }, sb);
  await cri.startContainer(cid);
  const ms = performance.now() - t0;
  await cri.stopPodSandbox(id);
  await cri.removePodSandbox(id);
  rmSync(logDirectory, { recursive: true, force: true });
  return ms;
}

/** One pod created through the API on the node, timed until the API reports it Running; then deleted and awaited. */
async function throughApiOnce(api: ApiClient, ns: string, nodeName: string, i: number): Promise<number> {
  const name = `start-${i}`;
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: {
    nodeName, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } };
  const t0 = performance.now();
  await api.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods`, JSON.stringify(pod));
  for (;;) {
    const p = JSON.parse(await api.expect(200, 'GET', `/api/v1/namespaces/${ns}/pods/${name}`)) as { status?: { phase?: string } };
    if (p.status?.phase === 'Running') break;
    if (performance.now() - t0 > 60_000) throw new Error(`pod ${name} not Running after 60s`);
    await sleep(10);
  }
  const ms = performance.now() - t0;
  await api.request('DELETE', `/api/v1/namespaces/${ns}/pods/${name}`);
  for (const deadline = performance.now() + 60_000; (await api.request('GET', `/api/v1/namespaces/${ns}/pods/${name}`)).status !== 404;) {
    if (performance.now() > deadline) throw new Error(`pod ${name} still present 60s after its delete`);
    await sleep(20);
  }
  return ms;
}

/**
 * Alternates the two sides, one pod at a time, so both see the same machine: each starts from a node
 * running none of the measured pods (the raw side removes its sandbox, the API side waits for its pod's
 * deletion to finish, untimed) and any background load falls on both alike.
 */
export async function podStartPhase(api: ApiClient, dataDir: string, ns: string, count = 30): Promise<PodStartResult> {
  const layout = JSON.parse(readFileSync(path.join(dataDir, 'cluster.json'), 'utf8')) as { node?: { name: string } };
  if (!layout.node) throw new Error('the cluster has no node (cluster.json has no node record)');
  const cri = new CriClient(path.join(dataDir, 'containerd', 'containerd.sock'));
  const logRoot = mkdtempSync(path.join(dataDir, 'bench-raw-'));
  const criMs: number[] = [];
  const apiMs: number[] = [];
  try {
    // One untimed start on each side first: the image's first unpack and the kubelet's first pod are not steady state.
    await rawCriOnce(cri, logRoot, -1);
    await throughApiOnce(api, ns, layout.node.name, -1);
    for (let i = 0; i < count; i++) {
      criMs.push(await rawCriOnce(cri, logRoot, i));
      apiMs.push(await throughApiOnce(api, ns, layout.node.name, i));
    }
  } finally {
    cri.close();
    rmSync(logRoot, { recursive: true, force: true });
  }
  return { apiMs, criMs };
}

export function renderPodStart(r: PodStartResult): string {
  const f = (v: number): string => `${v.toFixed(0)} ms`;
  const ratio = percentile(r.apiMs, 50) / percentile(r.criMs, 50);
  return `\nPod start (${r.apiMs.length} pods, one at a time, alternating with the raw side): create → Running through the API and kubelet, beside the raw CRI sequence\n`
    + table(['path', 'p50', 'p99', 'max'], [
      ['create → Running (API + kubelet)', f(percentile(r.apiMs, 50)), f(percentile(r.apiMs, 99)), f(Math.max(...r.apiMs))],
      ['raw CRI RunPodSandbox+CreateContainer+StartContainer', f(percentile(r.criMs, 50)), f(percentile(r.criMs, 99)), f(Math.max(...r.criMs))],
    ]) + `\np50 ratio ${ratio.toFixed(2)}x (target ≤ 1.5x): ${ratio <= 1.5 ? 'PASS' : 'FAIL'}\n`;
}
