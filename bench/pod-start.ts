// Pod start latency on the cluster's node: create → Running through the API and the kubets kubelet,
// beside the raw CRI sequence (RunPodSandbox + CreateContainer + StartContainer) on the same containerd,
// one pod at a time, the two sides alternating, in the same run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CriClient } from '../src/node/cri/cri-client';
import type { ApiClient } from './api-client';
import { percentile } from './stats';
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

/** The events of one pod's watch, as a queue the caller waits on for the first event that matches. */
class PodWatch {
  private readonly events: { type: string; phase?: string; at: number }[] = [];
  private wake: (() => void) | undefined;

  onLine(line: string): void {
    const ev = JSON.parse(line) as { type: string; object?: { status?: { phase?: string } } };
    this.events.push({ type: ev.type, phase: ev.object?.status?.phase, at: performance.now() });
    this.wake?.();
  }

  /** When the first event matching `match` arrived (performance.now() time). */
  async until(match: (e: { type: string; phase?: string }) => boolean, timeoutMs: number, what: string): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(match);
      if (hit) return hit.at;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(what);
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((r) => { this.wake = r; timer = setTimeout(r, left); });
      clearTimeout(timer);
    }
  }
}

/**
 * One pod created through the API on the node, timed until a watch on it reports it Running (as upstream's
 * pod startup latency is observed); then deleted and awaited on the same watch.
 */
async function throughApiOnce(api: ApiClient, ns: string, nodeName: string, i: number): Promise<number> {
  const name = `start-${i}`;
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: {
    nodeName, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } };
  const events = new PodWatch();
  // Opened before the create (the stream resolves once the server has registered it), so no event is missed.
  const watch = await api.stream(`/api/v1/namespaces/${ns}/pods?watch=1&fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
    (line) => events.onLine(line));
  try {
    const t0 = performance.now();
    await api.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods`, JSON.stringify(pod));
    const ms = await events.until((e) => e.phase === 'Running', 60_000, `pod ${name} not Running after 60s`) - t0;
    await api.expect(200, 'DELETE', `/api/v1/namespaces/${ns}/pods/${name}`);
    await events.until((e) => e.type === 'DELETED', 60_000, `pod ${name} still present 60s after its delete`);
    return ms;
  } finally {
    watch.close();
  }
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
