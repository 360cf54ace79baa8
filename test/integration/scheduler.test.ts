// The scheduler that `kubets up` runs, against hollow nodes (Node objects with capacity and a Ready
// condition written through the API; no kubelet): where pods land, the FailedScheduling event and
// PodScheduled condition of a pod that fits nowhere, preemption, schedulerName, and one Lease holder.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { createNamespace, kubeconfigPath, waitFor } from '../e2e/kubectl';
import { ok, request, type List } from './http';

let ns: string;
const hollowTaint = { key: 'kubets.test/hollow', value: 'scheduler', effect: 'NoSchedule' };
const tolerateHollow = [{ key: hollowTaint.key, operator: 'Equal', value: hollowTaint.value, effect: 'NoSchedule' }];
let nodeNames: string[] = [];
let realNodes: string[] = [];
let priorityClassesServed = false;

/** Hollow nodes renew their Leases as a hollow kubelet would, so node lifecycle keeps them Ready. */
let leaseRenewer: NodeJS.Timeout | undefined;
const microNow = (): string => new Date().toISOString().replace('Z', '000Z');
async function renewLeases(): Promise<void> {
  for (const n of nodeNames) {
    await request('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`,
      { body: { spec: { renewTime: microNow() } }, contentType: 'application/merge-patch+json' });
  }
}

async function hollowNode(name: string, labels: Record<string, string>, taints: object[]): Promise<void> {
  await ok('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { body: {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microNow() },
  } });
  await ok('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints: [hollowTaint, ...taints] } } });
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const resources = { cpu: '2', memory: '4Gi', pods: '10' };
  await ok('PATCH', `/api/v1/nodes/${name}/status`, {
    contentType: 'application/merge-patch+json',
    body: { status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node', lastHeartbeatTime: now, lastTransitionTime: now }] } },
  });
}

/** Priority through a PriorityClass when the apiserver serves them (it then resolves spec.priority), else spec.priority. */
async function priority(value: number): Promise<{ priority?: number; priorityClassName?: string }> {
  if (!priorityClassesServed) return { priority: value };
  const name = `${ns}-p${value}`;
  const r = await request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { body: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`priorityclass ${name}: HTTP ${r.status} ${r.body}`);
  return { priorityClassName: name };
}

async function createPod(name: string, spec: Record<string, unknown>, cpu?: string, labels?: Record<string, string>): Promise<void> {
  await ok('POST', `/api/v1/namespaces/${ns}/pods`, {
    body: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
      spec: { tolerations: tolerateHollow, containers: [{ name: 'c', image: 'pause', resources: cpu ? { requests: { cpu } } : {} }], ...spec },
    },
  });
}

const getPod = (name: string) => ok<Pod>('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
const landed = (name: string) => waitFor(`${name} to be bound`, async () => (await getPod(name)).spec?.nodeName);

async function events(name: string, reason: string): Promise<Event[]> {
  const l = await ok<List<Event & { metadata: { name: string } }>>('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`);
  return l.items.filter((e) => e.reason === reason);
}

beforeAll(async () => {
  ns = await createNamespace('it-scheduler');
  priorityClassesServed = (await request('GET', '/apis/scheduling.k8s.io/v1')).status === 200;
  nodeNames = [`${ns}-a`, `${ns}-b`, `${ns}-c`];
  await hollowNode(nodeNames[0], { 'topology.kubernetes.io/zone': 'z1', disk: 'ssd' }, []);
  await hollowNode(nodeNames[1], { 'topology.kubernetes.io/zone': 'z2' }, []);
  await hollowNode(nodeNames[2], { 'topology.kubernetes.io/zone': 'z2' }, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  leaseRenewer = setInterval(() => { void renewLeases().catch(() => undefined); }, 2000);
  // The test cluster's own node (the real kubelet) stays cordoned meanwhile, so the cases below only
  // have the hollow nodes to choose from; the messages count it as unschedulable.
  const nodes = await ok<List<Node & { metadata: { name: string } }>>('GET', '/api/v1/nodes');
  realNodes = nodes.items.map((n) => n.metadata.name).filter((n) => !nodeNames.includes(n));
  for (const n of realNodes) await ok('PATCH', `/api/v1/nodes/${n}`, { body: { spec: { unschedulable: true } }, contentType: 'application/merge-patch+json' });
});

afterAll(async () => {
  if (leaseRenewer) clearInterval(leaseRenewer);
  // Other suites' pods must not land on these nodes later.
  for (const n of nodeNames) await request('DELETE', `/api/v1/nodes/${n}`);
  for (const n of realNodes) await ok('PATCH', `/api/v1/nodes/${n}`, { body: { spec: { unschedulable: null } }, contentType: 'application/merge-patch+json' });
});

test('a pod lands on the node its nodeSelector picks, with a Scheduled event', async () => {
  await createPod('ssd', { nodeSelector: { disk: 'ssd' } });
  expect(await landed('ssd')).toBe(nodeNames[0]);
  const pod = await getPod('ssd');
  expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
  const ev = await waitFor('the Scheduled event', async () => (await events('ssd', 'Scheduled'))[0]);
  expect(ev.type).toBe('Normal');
  expect(ev.message).toBe(`Successfully assigned ${ns}/ssd to ${nodeNames[0]}`);
  expect(ev.source?.component).toBe('default-scheduler');
});

test('a pod tolerating a dedicated taint and requiring that node by name lands there', async () => {
  await createPod('gpu', {
    tolerations: [...tolerateHollow, { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeNames[2]] }] }] } } },
  });
  expect(await landed('gpu')).toBe(nodeNames[2]);
});

test('pods with hostname anti-affinity spread over the untainted nodes', async () => {
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'spread' } }, topologyKey: 'kubernetes.io/hostname' }] } };
  await createPod('spread-1', { affinity: anti }, undefined, { app: 'spread' });
  await createPod('spread-2', { affinity: anti }, undefined, { app: 'spread' });
  const placed = [await landed('spread-1'), await landed('spread-2')].sort();
  expect(placed).toEqual([nodeNames[0], nodeNames[1]]);
});

test('a pod that fits nowhere gets FailedScheduling and PodScheduled=False worded as upstream', async () => {
  const nodes = await ok<List<Node & { metadata: { name: string } }>>('GET', '/api/v1/nodes');
  expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual([...nodeNames, ...realNodes].sort());
  expect(realNodes).toHaveLength(1);
  await createPod('huge', {}, '3');
  const expected = '0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 2 Insufficient cpu. ' +
    'preemption: 0/4 nodes are available: 2 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.';
  const ev = await waitFor('the FailedScheduling event', async () => (await events('huge', 'FailedScheduling'))[0]);
  expect(ev.type).toBe('Warning');
  expect(ev.message).toBe(expected);
  const cond = await waitFor('PodScheduled=False', async () => (await getPod('huge')).status?.conditions?.find((c) => c.type === 'PodScheduled'));
  expect(cond).toEqual(expect.objectContaining({ status: 'False', reason: 'Unschedulable', message: expected }));
  expect((await getPod('huge')).spec?.nodeName).toBeUndefined();
  await ok('DELETE', `/api/v1/namespaces/${ns}/pods/huge`);
});

test('pods for another scheduler are left alone', async () => {
  await createPod('other', { schedulerName: 'other-scheduler' });
  await new Promise((r) => setTimeout(r, 1500));
  const pod = await getPod('other');
  expect(pod.spec?.nodeName).toBeUndefined();
  expect(pod.status?.conditions ?? []).toEqual([]);
  expect(await events('other', 'FailedScheduling')).toEqual([]);
});

test('a high-priority pod preempts a low-priority one', async () => {
  const onB = { nodeSelector: { 'kubernetes.io/hostname': nodeNames[1] } };
  // No kubelet runs here: a zero grace period lets the victim's deletion finish at once.
  await createPod('low', { ...onB, ...(await priority(10)), terminationGracePeriodSeconds: 0 }, '2');
  expect(await landed('low')).toBe(nodeNames[1]);
  await createPod('high', { ...onB, ...(await priority(1000)) }, '1');
  const victim = await waitFor('the victim to go', async () => (await request('GET', `/api/v1/namespaces/${ns}/pods/low`)).status === 404);
  expect(victim).toBe(true);
  expect(await landed('high')).toBe(nodeNames[1]);
  const high = await getPod('high');
  const preempted = await waitFor('the Preempted event', async () => (await events('low', 'Preempted'))[0]);
  expect(preempted.message).toBe(`Preempted by pod ${high.metadata?.uid} on node ${nodeNames[1]}`);
  const failed = await events('high', 'FailedScheduling');
  expect(failed[0]?.message).toBe('0/4 nodes are available: 1 Insufficient cpu, 1 node(s) didn\'t match Pod\'s node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable.');
}, 60_000);

test('with two scheduler replicas exactly one holds the Lease', async () => {
  const lease = () => ok<Lease>('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler');
  const holder = (await lease()).spec?.holderIdentity;
  expect(holder).toMatch(new RegExp(`^${os.hostname()}_\\d+$`));
  const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli.js');
  let stderr = '';
  const second: ChildProcess = spawn(process.execPath, [cli, 'scheduler', '--kubeconfig', kubeconfigPath()], { stdio: ['ignore', 'pipe', 'pipe'] });
  second.stdout?.on('data', (d: Buffer) => { stderr += d.toString(); });
  second.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  try {
    // Three retry periods: long enough for the second replica to try, and fail, to take the Lease.
    await new Promise((r) => setTimeout(r, 6500));
    expect(second.exitCode).toBeNull();
    const now = await lease();
    expect(now.spec?.holderIdentity).toBe(holder);
    expect(now.spec?.holderIdentity).not.toBe(`${os.hostname()}_${second.pid}`);
    expect(stderr).not.toContain('successfully acquired lease');
  } finally {
    second.kill('SIGTERM');
  }
}, 30_000);
