// The endpoints controllers' pure part: which pods back a Service, port resolution and subset packing.
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { desiredSubsets, endpointsLabels } from '../../src/controllers/endpoints/endpoints-subsets';
import { findPort, shouldBeInEndpoints } from '../../src/controllers/endpoints/service-backends';

const svc = (spec: Service['spec'], labels?: Record<string, string>): Service => ({ metadata: { name: 's', namespace: 'n', labels }, spec });
const pod = (name: string, ip: string, ready: boolean, extra: { port?: number; phase?: string; deleting?: boolean; labels?: Record<string, string> } = {}): Pod => ({
  metadata: { name, namespace: 'n', uid: `u-${name}`, labels: extra.labels ?? { app: 'x' }, ...(extra.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'node1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: extra.port ?? 8080 }] }] },
  status: { phase: extra.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('pods in endpoints: IP needed, terminal pods out, terminating only when tolerated', () => {
  expect(shouldBeInEndpoints(pod('a', '1.1.1.1', true), false)).toBe(true);
  expect(shouldBeInEndpoints({ ...pod('a', '', true) }, false)).toBe(false);
  expect(shouldBeInEndpoints(pod('a', '1.1.1.1', true, { phase: 'Succeeded' }), true)).toBe(false);
  expect(shouldBeInEndpoints(pod('a', '1.1.1.1', true, { deleting: true }), false)).toBe(false);
  expect(shouldBeInEndpoints(pod('a', '1.1.1.1', true, { deleting: true }), true)).toBe(true);
});

test('target ports: numbers as given, names per pod and protocol', () => {
  expect(findPort(pod('a', '1.1.1.1', true), { port: 80, targetPort: 9000 })).toBe(9000);
  expect(findPort(pod('a', '1.1.1.1', true), { port: 80 })).toBe(80);
  expect(findPort(pod('a', '1.1.1.1', true, { port: 7000 }), { port: 80, targetPort: 'http' })).toBe(7000);
  expect(findPort(pod('a', '1.1.1.1', true), { port: 80, targetPort: 'http', protocol: 'UDP' })).toBeUndefined();
});

test('subsets pack ports sharing the same addresses, sort addresses and split ready from not ready', () => {
  const s = svc({ selector: { app: 'x' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'm', port: 9100, targetPort: 9100 }] });
  const pods = [pod('b', '10.0.0.10', true), pod('a', '10.0.0.9', true), pod('c', '10.0.0.11', false), pod('z', '10.0.0.12', true, { labels: { app: 'y' } })];
  expect(desiredSubsets(s, pods)).toEqual([{
    addresses: [
      { ip: '10.0.0.9', nodeName: 'node1', targetRef: { kind: 'Pod', namespace: 'n', name: 'a', uid: 'u-a' } },
      { ip: '10.0.0.10', nodeName: 'node1', targetRef: { kind: 'Pod', namespace: 'n', name: 'b', uid: 'u-b' } },
    ],
    notReadyAddresses: [{ ip: '10.0.0.11', nodeName: 'node1', targetRef: { kind: 'Pod', namespace: 'n', name: 'c', uid: 'u-c' } }],
    ports: [{ name: 'm', port: 9100, protocol: 'TCP' }, { name: 'web', port: 8080, protocol: 'TCP' }],
  }]);
  expect(desiredSubsets(svc({ selector: { app: 'x' }, ports: [{ port: 80 }], publishNotReadyAddresses: true }), [pod('c', '10.0.0.11', false)])[0].addresses).toHaveLength(1);
  expect(desiredSubsets(svc({ selector: { app: 'x' }, ports: [] }), [pod('a', '10.0.0.9', true)])).toEqual([]);
  expect(endpointsLabels(svc({ clusterIP: 'None' }, { a: 'b' }))).toEqual({ a: 'b', 'service.kubernetes.io/headless': '' });
});
