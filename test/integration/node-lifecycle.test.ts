// Node lifecycle and pod GC against the suite's cluster (which runs them with short timings, see
// test/cluster-setup.ts): a node whose Lease stops being renewed goes Unknown and gets the unreachable
// taints, pods go once their tolerationSeconds run out, default tolerations come from admission, the
// taints leave when the node is Ready again, and pods bound to a node that does not exist are deleted.
import { createNamespace, ok, request } from './http';
import { waitFor } from '../e2e/kubectl';

interface Condition { type: string; status: string; reason?: string; message?: string; lastHeartbeatTime?: string }
interface Taint { key: string; effect: string; timeAdded?: string }
interface NodeObj { metadata: { name: string; resourceVersion: string }; spec?: { taints?: Taint[] }; status?: { conditions?: Condition[] } }
interface PodObj { metadata: { deletionTimestamp?: string }; spec: { tolerations?: { key?: string; operator?: string; effect?: string; tolerationSeconds?: number }[] } }

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const suffix = Math.random().toString(36).slice(2, 7);
let ns: string;
beforeAll(async () => { ns = await createNamespace('it-nodes'); });

async function readyHeartbeat(node: string): Promise<void> {
  const n = await ok<NodeObj>('GET', `/api/v1/nodes/${node}`);
  n.status = { ...n.status, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now() }] };
  await ok('PUT', `/api/v1/nodes/${node}/status`, { body: n });
}

async function renewLease(node: string): Promise<void> {
  await ok('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`,
    { body: { spec: { renewTime: new Date().toISOString().replace('Z', '000Z') } }, contentType: 'application/merge-patch+json' });
}

async function boundPod(name: string, node: string, tolerationSeconds?: number): Promise<void> {
  const tolerations = tolerationSeconds === undefined ? undefined
    : [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds }];
  await ok('POST', `/api/v1/namespaces/${ns}/pods`, { body: {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeName: node, tolerations, containers: [{ name: 'c', image: 'nginx:1.27' }] },
  } }, 201);
}

const pod = (name: string) => ok<PodObj>('GET', `/api/v1/namespaces/${ns}/pods/${name}`);

test('a node whose lease stops is Unknown and tainted unreachable; pods go after their tolerationSeconds', async () => {
  const node = `lease-node-${suffix}`;
  await ok('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: node } } }, 201);
  await readyHeartbeat(node);
  await ok('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { body: {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node },
    spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace('Z', '000Z') },
  } }, 201);
  await boundPod('short', node, 2);
  await boundPod('default', node);
  const defaults = (await pod('default')).spec.tolerations;
  expect(defaults).toEqual([
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  try {
    // Renewed for longer than the test cluster's 15 s grace: the node stays as its kubelet said.
    for (let i = 0; i < 18; i++) { await renewLease(node); await new Promise((r) => setTimeout(r, 1000)); }
    let n = await ok<NodeObj>('GET', `/api/v1/nodes/${node}`);
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(n.spec?.taints ?? []).toEqual([]);

    n = await waitFor('node Unknown and tainted', async () => {
      const x = await ok<NodeObj>('GET', `/api/v1/nodes/${node}`);
      return (x.spec?.taints ?? []).length === 2 ? x : undefined;
    }, 40_000);
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.',
    });
    expect(n.status?.conditions?.find((c) => c.type === 'MemoryPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated' });
    expect(n.spec?.taints?.map((t) => [t.key, t.effect, t.timeAdded !== undefined])).toEqual([
      ['node.kubernetes.io/unreachable', 'NoSchedule', false], ['node.kubernetes.io/unreachable', 'NoExecute', true],
    ]);
    await waitFor('pod tolerating 2 s evicted', async () => (await pod('short')).metadata.deletionTimestamp !== undefined, 20_000);
    expect((await pod('default')).metadata.deletionTimestamp).toBeUndefined();

    // The kubelet is back: Ready again, and the taints go.
    await renewLease(node);
    await readyHeartbeat(node);
    await waitFor('taints removed', async () => ((await ok<NodeObj>('GET', `/api/v1/nodes/${node}`)).spec?.taints ?? []).length === 0, 20_000);
  } finally {
    await request('DELETE', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`);
  }
  // Pod GC: the node goes, and after the quarantine its pods go too (force-deleted, nothing left).
  await ok('DELETE', `/api/v1/nodes/${node}`);
  await waitFor('pods of the deleted node gone', async () => (await request('GET', `/api/v1/namespaces/${ns}/pods/default`)).status === 404, 40_000);
  expect((await request('GET', `/api/v1/namespaces/${ns}/pods/short`)).status).toBe(404);
}, 180_000);
