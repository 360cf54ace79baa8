// A kubelet's status writes, seen in its debug log (`kubets kubelet --runtime fake`, one hollow node):
// starting a pod writes its status once, the sync that its own write's watch event wakes writes nothing,
// a status someone else changed is put right with one more write, and the start's events reach the API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { hollowHostIP } from '../../src/node/kubelet/hollow-nodes';
import { kubeconfigPath, waitFor } from '../e2e/kubectl';
import { createNamespace, ok, request, type List } from './http';

const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli.js');
const prefix = `status-writes-${Math.random().toString(36).slice(2, 7)}-`;
const nodeName = `${prefix}0`;
// Killed with SIGKILL below, so it cannot remove a scratch directory of its own.
const rootDir = mkdtempSync(path.join(os.tmpdir(), 'kubets-status-writes-'));
let ns: string;
let kubelet: ChildProcess | undefined;
let output = '';

/** The pod's status writes the kubelet logged, as the phases written. */
function statusWrites(pod: string): string[] {
  const out: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"status written"')) continue;
    const entry = JSON.parse(line) as { pod?: string; phase?: string };
    if (entry.pod === `${ns}/${pod}`) out.push(entry.phase ?? '');
  }
  return out;
}

beforeAll(async () => {
  ns = await createNamespace('it-status-writes');
  kubelet = spawn(process.execPath, [cli, 'kubelet', '--runtime', 'fake', '--nodes', '1', '--node-name-prefix', prefix,
    '--root-dir', rootDir, '--kubeconfig', kubeconfigPath()], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBETS_LOG_LEVEL: 'debug' } });
  kubelet.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  kubelet.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  await waitFor('the hollow node', async () => {
    if (kubelet?.exitCode !== null) throw new Error(`hollow kubelet exited: ${output}`);
    const r = await request('GET', `/api/v1/nodes/${nodeName}`);
    return r.status === 200 && (JSON.parse(r.body) as Node).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  }, 60_000, 250);
});

afterAll(async () => {
  await request('DELETE', `/api/v1/namespaces/${ns}/pods/one?gracePeriodSeconds=0`);
  if (kubelet && kubelet.exitCode === null) kubelet.kill('SIGKILL');
  await request('DELETE', `/api/v1/nodes/${nodeName}`);
  await request('DELETE', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${nodeName}`);
  rmSync(rootDir, { recursive: true, force: true });
});

test('a started pod\'s status is written once, and again only when the API has another', async () => {
  const podPath = `/api/v1/namespaces/${ns}/pods/one`;
  await ok<Pod>('POST', `/api/v1/namespaces/${ns}/pods`, { body: {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one' },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
  } }, 201);
  await waitFor('the pod Running', async () => (await ok<Pod>('GET', podPath)).status?.phase === 'Running', 30_000, 100);

  // Another writer's change; the kubelet's syncs handle the pod's watch events in order, so once this is
  // put right, the sync woken by its own first write has run too.
  await ok('PATCH', `${podPath}/status`, { body: { status: { hostIP: '127.9.9.9' } }, contentType: 'application/merge-patch+json' });
  await waitFor('the hostIP put right', async () => (await ok<Pod>('GET', podPath)).status?.hostIP === hollowHostIP(0), 30_000, 100);
  await waitFor('the second write logged', () => statusWrites('one').length >= 2, 5_000, 50);
  expect(statusWrites('one')).toEqual(['Running', 'Running']);

  const reasons = await waitFor('the start\'s events', async () => {
    const events = await ok<List<Event>>('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=${encodeURIComponent('involvedObject.name=one')}`);
    const r = events.items.map((e) => e.reason ?? '').sort();
    return r.length >= 3 ? r : undefined;
  }, 10_000, 200);
  expect(reasons).toEqual(['Created', 'Pulled', 'Started']);
});
