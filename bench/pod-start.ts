// Pod start latency on the cluster's node: create → Running through the API and the kubets kubelet,
// beside the raw CRI sequence (RunPodSandbox + CreateContainer + StartContainer) on the same containerd,
// one pod at a time on each side, in the same run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CriClient } from '../src/node/cri/cri-client';
import type { ApiClient } from './api-client';
import { percentile, sleep } from './stats';
import { table } from './report';

export interface PodStartResult { apiMs: number[]; criMs: number[] }

async function rawCri(socket: string, count: number): Promise<number[]> {
  const cri = new CriClient(socket);
  const out: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const uid = `bench-raw-${Date.now().toString(36)}-${i}`;
      // No kubelet labels: the kubelet leaves these alone, and they are removed below.
      const sb = { metadata: { name: uid, uid, namespace: 'bench-raw', attempt: 0 }, hostname: uid, logDirectory: `/tmp/${uid}`,
        portMappings: [], labels: { 'kubets.io/bench': 'raw' }, annotations: {}, linux: { cgroupParent: '' } };
      const t0 = performance.now();
      const id = await cri.runPodSandbox(sb);
      const cid = await cri.createContainer(id, {
        metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' }, command: ['sleep', '3600'], args: [], workingDir: '', envs: [],
        mounts: [], labels: {}, annotations: {}, logPath: 'c.log', stdin: false, stdinOnce: false, tty: false, linux: { resources: {}, securityContext: {} },
      }, sb);
      await cri.startContainer(cid);
      out.push(performance.now() - t0);
      await cri.stopPodSandbox(id);
      await cri.removePodSandbox(id);
    }
  } finally { cri.close(); }
  return out;
}

async function throughApi(api: ApiClient, ns: string, nodeName: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
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
    out.push(performance.now() - t0);
  }
  for (let i = 0; i < count; i++) await api.request('DELETE', `/api/v1/namespaces/${ns}/pods/start-${i}`);
  return out;
}

export async function podStartPhase(api: ApiClient, dataDir: string, ns: string, count = 30): Promise<PodStartResult> {
  const layout = JSON.parse(readFileSync(path.join(dataDir, 'cluster.json'), 'utf8')) as { node?: { name: string } };
  if (!layout.node) throw new Error('the cluster has no node (cluster.json has no node record)');
  const criMs = await rawCri(path.join(dataDir, 'containerd', 'containerd.sock'), count);
  const apiMs = await throughApi(api, ns, layout.node.name, count);
  return { apiMs, criMs };
}

export function renderPodStart(r: PodStartResult): string {
  const f = (v: number): string => `${v.toFixed(0)} ms`;
  const ratio = percentile(r.apiMs, 50) / percentile(r.criMs, 50);
  return `\nPod start (${r.apiMs.length} pods, one at a time): create → Running through the API and kubelet, beside the raw CRI sequence\n`
    + table(['path', 'p50', 'p99', 'max'], [
      ['create → Running (API + kubelet)', f(percentile(r.apiMs, 50)), f(percentile(r.apiMs, 99)), f(Math.max(...r.apiMs))],
      ['raw CRI RunPodSandbox+CreateContainer+StartContainer', f(percentile(r.criMs, 50)), f(percentile(r.criMs, 99)), f(Math.max(...r.criMs))],
    ]) + `\np50 ratio ${ratio.toFixed(2)}x (target ≤ 1.5x): ${ratio <= 1.5 ? 'PASS' : 'FAIL'}\n`;
}
