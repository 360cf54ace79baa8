// `kubets kubelet --runtime fake --nodes 5` against the suite's cluster: five hollow nodes register and
// keep their Leases, pods the default scheduler puts on one of them run through the kubelet's pod sync on
// the fake runtime (Running, Ready, a pod IP from that node's fake range), deleting them completes, and
// once the process dies the node lifecycle controller marks the nodes Unknown.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { kubeconfigPath, waitFor } from '../e2e/kubectl';
import { createNamespace, ok, request, type List } from './http';

const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli.js');
const prefix = `hollow-it-${Math.random().toString(36).slice(2, 7)}-`;
const names = Array.from({ length: 5 }, (_, i) => `${prefix}${i}`);
let ns: string;
let hollow: ChildProcess | undefined;
let output = '';
// The process is killed with SIGKILL below, so it cannot remove a scratch directory of its own.
const rootDir = mkdtempSync(path.join(os.tmpdir(), 'kubets-hollow-it-'));

const ready = (n: Node): string | undefined => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
const ours = async (): Promise<Node[]> =>
  (await ok<List<Node & { metadata: { name: string } }>>('GET', '/api/v1/nodes?labelSelector=kubets.io%2Fhollow%3Dtrue')).items
    .filter((n) => n.metadata.name.startsWith(prefix));

beforeAll(async () => {
  ns = await createNamespace('it-hollow');
  hollow = spawn(process.execPath, [cli, 'kubelet', '--runtime', 'fake', '--nodes', '5', '--node-name-prefix', prefix,
    '--root-dir', rootDir, '--kubeconfig', kubeconfigPath()], { stdio: ['ignore', 'pipe', 'pipe'] });
  hollow.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  hollow.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
});

afterAll(async () => {
  if (hollow && hollow.exitCode === null) hollow.kill('SIGKILL');
  for (const name of names) {
    await request('DELETE', `/api/v1/nodes/${name}`);
    await request('DELETE', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`);
  }
  rmSync(rootDir, { recursive: true, force: true });
});

test('five hollow nodes register Ready with the fake runtime and keep their Leases', async () => {
  const nodes = await waitFor('5 Ready hollow nodes', async () => {
    if (hollow?.exitCode !== null) throw new Error(`hollow kubelets exited: ${output}`);
    const list = await ours();
    return list.length === 5 && list.every((n) => ready(n) === 'True') ? list : undefined;
  }, 60_000, 500);
  expect(nodes.map((n) => n.metadata!.name).sort()).toEqual(names);
  for (const n of nodes) {
    expect(n.status?.capacity).toMatchObject({ cpu: '4', memory: '16Gi', pods: '110' });
    expect(n.status?.allocatable).toMatchObject({ cpu: '4', memory: '16Gi', pods: '110' });
    expect(n.status?.nodeInfo?.containerRuntimeVersion).toBe('kubets-fake://0.1.0');
    expect(n.metadata?.labels?.['kubernetes.io/hostname']).toBe(n.metadata!.name);
    const lease = await ok<Lease>('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n.metadata!.name}`);
    expect(lease.spec?.holderIdentity).toBe(n.metadata!.name);
  }
});

test('pods scheduled onto one hollow node run, get Ready with a pod IP from its range, and delete cleanly', async () => {
  const target = names[2]!;
  const pods = ['a', 'b', 'c'].map((x) => `p-${x}`);
  for (const name of pods) {
    await ok('POST', `/api/v1/namespaces/${ns}/pods`, { body: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: {
        nodeSelector: { 'kubernetes.io/hostname': target },
        containers: [{
          name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '64Mi' } },
          // Exec through the fake runtime's ExecSync; httpGet is never sent to a fake address.
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
          livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 },
        }],
      },
    } }, 201);
  }
  const running = await Promise.all(pods.map((name) => waitFor(`${name} Running and Ready`, async () => {
    const p = await ok<Pod>('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
    const isReady = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    return p.status?.phase === 'Running' && isReady ? p : undefined;
  }, 30_000, 250)));
  const ips = new Set<string>();
  for (const p of running) {
    expect(p.spec?.nodeName).toBe(target);
    expect(p.status?.podIP).toMatch(/^10\.128\.2\.\d+$/);
    ips.add(p.status!.podIP!);
    expect(p.status?.hostIP).toBe('127.1.0.3');
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ name: 'c', ready: true, started: true, restartCount: 0 });
    expect(p.status?.containerStatuses?.[0]?.state?.running?.startedAt).toBeTruthy();
    expect(p.status?.conditions?.map((c) => `${c.type}=${c.status}`).sort()).toEqual(
      ['ContainersReady=True', 'Initialized=True', 'PodReadyToStartContainers=True', 'PodScheduled=True', 'Ready=True']);
  }
  expect(ips.size).toBe(3);

  for (const name of pods) await ok('DELETE', `/api/v1/namespaces/${ns}/pods/${name}`);
  await Promise.all(pods.map((name) => waitFor(`${name} gone`, async () =>
    (await request('GET', `/api/v1/namespaces/${ns}/pods/${name}`)).status === 404, 30_000, 250)));
});

test('when the hollow kubelets die, their nodes go Unknown after the grace period', async () => {
  hollow!.kill('SIGKILL');
  // The suite's node-monitor grace period is 15 s.
  await waitFor('the hollow nodes to be Unknown', async () => {
    const list = await ours();
    return list.length === 5 && list.every((n) => ready(n) === 'Unknown');
  }, 45_000, 1000);
}, 60_000);
