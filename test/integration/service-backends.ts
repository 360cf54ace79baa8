// Writes a Service's backends through the API the way the endpoints (or EndpointSlice) controller
// would. It stands in for that controller, not for the proxy or DNS under test: the tests use
// selector-less Services, whose backends upstream users also write by hand. Whichever kind the node
// components read is written: EndpointSlices when discovery.k8s.io/v1 serves them, else Endpoints.
import { ok, request } from './http';

export interface Backend { ip: string; hostname?: string; ready?: boolean }
export interface BackendPort { name?: string; port: number; protocol?: 'TCP' | 'UDP' }

let slicesServed: boolean | undefined;
async function servesSlices(): Promise<boolean> {
  if (slicesServed === undefined) {
    const r = await request('GET', '/apis/discovery.k8s.io/v1');
    slicesServed = r.status === 200 && (JSON.parse(r.body) as { resources: { name: string }[] }).resources.some((x) => x.name === 'endpointslices');
  }
  return slicesServed;
}

/** Replaces the backends of Service ns/name (creating the object the first time). */
export async function writeBackends(ns: string, name: string, backends: Backend[], ports: BackendPort[]): Promise<void> {
  if (await servesSlices()) {
    const sliceName = `${name}-test`;
    const body = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: sliceName, namespace: ns, labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'kubets-test' } },
      endpoints: backends.map((b) => ({ addresses: [b.ip], conditions: { ready: b.ready !== false }, ...(b.hostname ? { hostname: b.hostname } : {}) })),
      ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    };
    await put(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, sliceName, body);
    return;
  }
  const body = {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns },
    subsets: backends.length === 0 ? [] : [{
      addresses: backends.filter((b) => b.ready !== false).map((b) => ({ ip: b.ip, ...(b.hostname ? { hostname: b.hostname } : {}) })),
      notReadyAddresses: backends.filter((b) => b.ready === false).map((b) => ({ ip: b.ip })),
      ports: ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? 'TCP' })),
    }],
  };
  await put(`/api/v1/namespaces/${ns}/endpoints`, name, body);
}

async function put(collection: string, name: string, body: { metadata: Record<string, unknown> }): Promise<void> {
  const existing = await request('GET', `${collection}/${name}`);
  if (existing.status === 404) { await ok('POST', collection, { body }); return; }
  const rv = (JSON.parse(existing.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  await ok('PUT', `${collection}/${name}`, { body: { ...body, metadata: { ...body.metadata, resourceVersion: rv } } });
}
