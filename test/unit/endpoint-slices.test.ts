// The EndpointSlice controller's pure part: labels, conditions, port grouping, the 100-endpoint limit
// and the empty placeholder slice.
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { desiredSlices, newSlice } from '../../src/controllers/endpoints/endpoint-slices';

const svc: Service = { metadata: { name: 'web', namespace: 'n', uid: 'svc-uid', labels: { tier: 'f' } },
  spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
const pod = (i: number, ready: boolean, opts: { port?: number; deleting?: boolean } = {}): Pod => ({
  metadata: { name: `p${i}`, namespace: 'n', uid: `u${i}`, labels: { app: 'x' }, ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'node1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }] },
  status: { phase: 'Running', podIP: `10.0.${Math.floor(i / 250)}.${i % 250 + 1}`, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('labels, conditions (terminating pods included) and zone', () => {
  const [s] = desiredSlices(svc, [pod(0, true), pod(1, false), pod(2, true, { deleting: true })], (n) => (n === 'node1' ? 'z1' : undefined));
  expect(s.labels).toEqual({ tier: 'f', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  expect(s.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  expect(s.endpoints.map((e) => [e.targetRef?.name, e.conditions])).toEqual([
    ['p0', { ready: true, serving: true, terminating: false }],
    ['p1', { ready: false, serving: false, terminating: false }],
    ['p2', { ready: false, serving: true, terminating: true }],
  ]);
  expect(s.endpoints[0]).toMatchObject({ addresses: ['10.0.0.1'], nodeName: 'node1', zone: 'z1', targetRef: { kind: 'Pod', name: 'p0', uid: 'u0' } });
});

test('pods resolving to different ports go in different slices; at most 100 endpoints per slice', () => {
  const pods = [...Array.from({ length: 150 }, (_, i) => pod(i, true)), pod(500, true, { port: 9090 })];
  const slices = desiredSlices(svc, pods);
  expect(slices.map((s) => [s.ports[0].port, s.endpoints.length])).toEqual([[8080, 100], [8080, 50], [9090, 1]]);
});

test('no backends: one empty placeholder slice, owned by the service', () => {
  const slices = desiredSlices(svc, []);
  expect(slices).toHaveLength(1);
  const s = newSlice(svc, slices[0]);
  expect(s).toMatchObject({ addressType: 'IPv4', endpoints: [], ports: [], metadata: { generateName: 'web-',
    ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }] } });
});
