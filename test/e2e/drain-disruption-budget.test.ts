// `kubectl drain` against a PodDisruptionBudget: the disruption controller keeps the budget's status from
// the pods it selects; while it allows no disruption, drain's evictions are refused with upstream's 429
// and drain gives up at its --timeout; once relaxed, drain evicts every pod. The node is a hollow one made
// by the test (its Lease renewed, its pods marked Running/Ready by the kubelet stand-in), so the suite's
// real node is never cordoned.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { ok } from '../integration/http';
import { markRunningReady } from '../integration/pod-status-stand-in';
import { createNamespace, kubectl, kubectlOk, waitFor } from './kubectl';

const node = `drain-${Math.random().toString(36).slice(2, 7)}`;
const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
let ns: string;
let renewer: NodeJS.Timeout | undefined;

async function renewLease(): Promise<void> {
  await ok('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`,
    { body: { spec: { renewTime: new Date().toISOString().replace('Z', '000Z') } }, contentType: 'application/merge-patch+json' });
}

const budget = () => kubectlOk(['get', 'pdb', 'guard', '-n', ns, '-o', 'json']).then((s) => JSON.parse(s) as PodDisruptionBudget);

async function budgetWhere(what: string, pred: (b: PodDisruptionBudget) => boolean): Promise<PodDisruptionBudget> {
  return waitFor(`pdb ${what}`, async () => { const b = await budget(); return pred(b) ? b : undefined; }, 20_000, 200);
}

beforeAll(async () => {
  ns = await createNamespace('e2e-drain');
  await ok('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: node, labels: { 'kubernetes.io/hostname': node } } } }, 201);
  const n = await ok<{ status?: object }>('GET', `/api/v1/nodes/${node}`);
  n.status = { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: stamp() }] };
  await ok('PUT', `/api/v1/nodes/${node}/status`, { body: n });
  await ok('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { body: {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node },
    spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace('Z', '000Z') },
  } }, 201);
  renewer = setInterval(() => { void renewLease().catch(() => undefined); }, 2000);
  for (const name of ['guarded-0', 'guarded-1']) {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: guarded}}\n`
      + `spec:\n  nodeName: ${node}\n  containers: [{name: c, image: busybox}]\n` });
    await markRunningReady(ns, JSON.parse(await kubectlOk(['get', 'pod', name, '-n', ns, '-o', 'json'])) as Parameters<typeof markRunningReady>[1]);
  }
});

afterAll(async () => {
  if (renewer) clearInterval(renewer);
  await kubectl(['delete', 'node', node, '--ignore-not-found', '--wait=false']);
  await kubectl(['delete', 'lease', node, '-n', 'kube-node-lease', '--ignore-not-found']);
});

test('the budget status counts the pods it guards', async () => {
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: guard}\n'
    + 'spec:\n  minAvailable: 2\n  selector: {matchLabels: {app: guarded}}\n' });
  const b = await budgetWhere('counted', (x) => x.status?.expectedPods === 2 && x.status.observedGeneration === x.metadata?.generation);
  expect(b.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 });
  expect(b.status?.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '' })]);
  expect(await kubectlOk(['get', 'pdb', 'guard', '-n', ns])).toMatch(/^guard\s+2\s+N\/A\s+0\s+/m);
});

test('drain keeps being refused while the budget allows no disruption', async () => {
  const r = await kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--grace-period=0', '--timeout=7s'], { timeoutMs: 40_000 });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('Cannot evict pod as it would violate the pod\'s disruption budget.');
  expect(r.stderr).toMatch(/will retry after 5s/);
  expect(r.stdout).toContain(`node/${node} cordoned`);
  const pods = JSON.parse(await kubectlOk(['get', 'pods', '-n', ns, '-o', 'json'])) as { items: Pod[] };
  expect(pods.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name).sort()).toEqual(['guarded-0', 'guarded-1']);
}, 60_000);

test('with the budget relaxed, drain evicts every pod', async () => {
  await kubectlOk(['patch', 'pdb', 'guard', '-n', ns, '--type=merge', '-p', '{"spec":{"minAvailable":0}}']);
  await budgetWhere('relaxed', (x) => x.status?.disruptionsAllowed === 2 && x.status.observedGeneration === x.metadata?.generation);
  const r = await kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--grace-period=0', '--timeout=30s'], { timeoutMs: 60_000 });
  expect(r.stderr).not.toContain('disruption budget');
  // --force: these pods have no controller, which kubectl warns about and then evicts them anyway.
  expect(`${r.stderr.replace(/^Warning: deleting Pods that declare no controller: .*\n/m, '')}exit ${r.code}`).toBe('exit 0');
  expect(r.stdout).toContain(`evicting pod ${ns}/guarded-0`);
  expect(r.stdout).toContain(`node/${node} drained`);
  await waitFor('pods gone', async () => (await kubectlOk(['get', 'pods', '-n', ns, '-o', 'name'])).trim() === '', 20_000, 300);
  // Both evictions were counted, then dropped once the pods were gone.
  const b = await budgetWhere('recounted', (x) => x.status?.expectedPods === 0);
  expect(b.status).toMatchObject({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0 });
  expect(b.status?.disruptedPods).toBeUndefined();
}, 90_000);
