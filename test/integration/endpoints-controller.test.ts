// The endpoints controller against the suite's cluster: Endpoints follow pod readiness (reported by the
// kubelet stand-in), labels and selectors, named target ports resolve per pod, publishNotReadyAddresses
// and headless services behave as upstream, and Services without a selector are left alone.
import { createNamespace, ok, request } from './http';
import { reportPodStatus } from './lifecycle-pod-status';
import { waitFor } from '../e2e/kubectl';

interface Address { ip: string; nodeName?: string; targetRef?: { kind: string; name: string; namespace: string; uid: string } }
interface Subset { addresses?: Address[]; notReadyAddresses?: Address[]; ports?: { name?: string; port: number; protocol: string }[] }
interface Endpoints { metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion: string }; subsets?: Subset[] }

let ns: string;
const node = `ep-node-${Math.random().toString(36).slice(2, 7)}`;
beforeAll(async () => {
  ns = await createNamespace('it-endpoints');
  await ok('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: node } } }, 201);
});
afterAll(async () => { await request('DELETE', `/api/v1/nodes/${node}`); });

async function pod(name: string, labels: Record<string, string>, port: number): Promise<string> {
  const p = await ok<{ metadata: { uid: string } }>('POST', `/api/v1/namespaces/${ns}/pods`, { body: {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: port }] }] },
  } }, 201);
  return p.metadata.uid;
}

async function service(name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Promise<void> {
  await ok('POST', `/api/v1/namespaces/${ns}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec } }, 201);
}

async function endpoints(name: string): Promise<Endpoints | undefined> {
  const r = await request('GET', `/api/v1/namespaces/${ns}/endpoints/${name}`);
  return r.status === 200 ? JSON.parse(r.body) as Endpoints : undefined;
}

const summary = (e: Endpoints | undefined) => (e?.subsets ?? []).map((s) => ({
  ready: (s.addresses ?? []).map((a) => a.targetRef?.name), notReady: (s.notReadyAddresses ?? []).map((a) => a.targetRef?.name),
  ports: (s.ports ?? []).map((p) => p.port),
}));

async function until(name: string, want: ReturnType<typeof summary>): Promise<Endpoints> {
  let last: Endpoints | undefined;
  try {
    return await waitFor(`endpoints ${name} = ${JSON.stringify(want)}`, async () => {
      last = await endpoints(name);
      return JSON.stringify(summary(last)) === JSON.stringify(want) ? last : undefined;
    }, 20_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last: ${JSON.stringify(summary(last))}`);
  }
}

test('ready and not-ready pods, named target ports resolved per pod, readiness and label changes', async () => {
  const uidA = await pod('a', { app: 'web' }, 8080);
  await pod('b', { app: 'web' }, 9090);
  await pod('other', { app: 'db' }, 8080);
  await service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { tier: 'front' });
  await reportPodStatus(ns, 'a', { ip: '10.244.0.11', ready: true });
  await reportPodStatus(ns, 'b', { ip: '10.244.0.12', ready: false });
  await reportPodStatus(ns, 'other', { ip: '10.244.0.13', ready: true });
  const ep = await until('web', [{ ready: ['a'], notReady: [], ports: [8080] }, { ready: [], notReady: ['b'], ports: [9090] }]);
  const a = ep.subsets!.find((s) => s.addresses?.length)!;
  expect(a.addresses![0]).toEqual({ ip: '10.244.0.11', nodeName: node, targetRef: { kind: 'Pod', namespace: ns, name: 'a', uid: uidA } });
  expect(a.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  expect(ep.metadata.labels).toEqual({ tier: 'front' });
  expect(Date.parse(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '')).not.toBeNaN();

  await reportPodStatus(ns, 'b', { ip: '10.244.0.12', ready: true });
  await until('web', [{ ready: ['a'], notReady: [], ports: [8080] }, { ready: ['b'], notReady: [], ports: [9090] }]);
  // A pod whose labels stop matching leaves; one that starts matching joins.
  await ok('PATCH', `/api/v1/namespaces/${ns}/pods/a`, { body: { metadata: { labels: { app: 'gone' } } }, contentType: 'application/merge-patch+json' });
  await until('web', [{ ready: ['b'], notReady: [], ports: [9090] }]);
  await ok('PATCH', `/api/v1/namespaces/${ns}/services/web`, { body: { spec: { selector: { app: 'db' } } }, contentType: 'application/merge-patch+json' });
  await until('web', [{ ready: ['other'], notReady: [], ports: [8080] }]);
  await ok('DELETE', `/api/v1/namespaces/${ns}/services/web`);
  await waitFor('endpoints deleted with their service', async () => (await endpoints('web')) === undefined);
});

test('publishNotReadyAddresses lists unready pods as ready; a headless service without ports lists addresses', async () => {
  await pod('n1', { app: 'pub' }, 7000);
  await reportPodStatus(ns, 'n1', { ip: '10.244.0.21', ready: false });
  await service('pub', { selector: { app: 'pub' }, publishNotReadyAddresses: true, ports: [{ port: 7000 }] });
  await until('pub', [{ ready: ['n1'], notReady: [], ports: [7000] }]);
  await service('hl', { selector: { app: 'pub' }, clusterIP: 'None' });
  const hl = await until('hl', [{ ready: [], notReady: ['n1'], ports: [] }]);
  expect(hl.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
});

test('a Service without a selector keeps the Endpoints its owner wrote', async () => {
  await service('manual', { ports: [{ port: 5432 }] });
  const manual = await ok<Endpoints>('POST', `/api/v1/namespaces/${ns}/endpoints`, { body: {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '192.168.1.5' }], ports: [{ port: 5432 }] }],
  } }, 201);
  // A service with a selector in the same namespace proves the controller is running meanwhile.
  await pod('s1', { app: 'sel' }, 6000);
  await reportPodStatus(ns, 's1', { ip: '10.244.0.31', ready: true });
  await service('sel', { selector: { app: 'sel' }, ports: [{ port: 6000 }] });
  await until('sel', [{ ready: ['s1'], notReady: [], ports: [6000] }]);
  expect((await endpoints('manual'))?.metadata.resourceVersion).toBe(manual.metadata.resourceVersion);
});
