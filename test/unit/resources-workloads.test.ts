// Deployment/ReplicaSet defaults and validation; Service defaults, validation and allocation; Secret data.
import { aggregateMessage } from '../../src/registry/field-error';
import type { KubeObject } from '../../src/registry/resource-types';
import { deploymentResource } from '../../src/registry/resources/deployment';
import { replicaSetResource } from '../../src/registry/resources/replicaset';
import { secretResource } from '../../src/registry/resources/secret';
import { serviceResource } from '../../src/registry/resources/service';
import { namespaceResource } from '../../src/registry/resources/namespace';
import { ServiceAllocator } from '../../src/registry/resources/service-allocator';
import { StatusError } from '../../src/registry/errors';
import { builtinResources } from '../../src/registry/builtin-resources';

function deployment(selector: object, labels: object): KubeObject {
  return {
    metadata: { name: 'd', namespace: 'default' },
    spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

describe('deployments', () => {
  const s = deploymentResource().strategy;

  test('defaults', () => {
    const d = deployment({ matchLabels: { app: 'x' } }, { app: 'x' });
    s.defaults?.(d);
    expect(d.spec).toMatchObject({
      replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      template: { metadata: { creationTimestamp: null }, spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } },
    });
    expect(s.validate?.(d)).toEqual([]);
  });

  test('selector must match template labels', () => {
    const d = deployment({ matchLabels: { app: 'y' } }, { app: 'x' });
    s.defaults?.(d);
    expect(aggregateMessage(s.validate?.(d) ?? [])).toBe(
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`');
  });

  test('selector required', () => {
    const d: KubeObject = { metadata: { name: 'd', namespace: 'default' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    s.defaults?.(d);
    // As upstream: a missing selector also matches no template labels.
    expect(aggregateMessage(s.validate?.(d) ?? [])).toBe(
      '[spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`]');
  });

  test('selector immutable', () => {
    const old = deployment({ matchLabels: { app: 'x' } }, { app: 'x', v: '1' });
    const next = deployment({ matchLabels: { app: 'x', v: '1' } }, { app: 'x', v: '1' });
    expect((s.validateUpdate?.(next, old) ?? []).map(String)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", "v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  test('replicasets share the rules', () => {
    const rs = replicaSetResource().strategy;
    const o = deployment({ matchLabels: { app: 'y' } }, { app: 'x' });
    rs.defaults?.(o);
    expect((o.spec as { replicas: number }).replicas).toBe(1);
    expect((rs.validate?.(o) ?? []).map((e) => e.field)).toEqual(['spec.template.metadata.labels']);
  });
});

describe('services', () => {
  const s = serviceResource().strategy;
  const svc = (spec: object): KubeObject => ({ metadata: { name: 'web', namespace: 'default' }, spec });

  test('defaults', () => {
    const o = svc({ selector: { app: 'web' }, ports: [{ port: 80 }] });
    s.defaults?.(o);
    void s.prepareForCreate?.(o, {});
    expect(o.spec).toEqual({
      type: 'ClusterIP', sessionAffinity: 'None', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
    });
    expect(o.status).toEqual({ loadBalancer: {} });
    expect(s.validate?.(o)).toEqual([]);
  });

  test('nodeport defaults externalTrafficPolicy', () => {
    const o = svc({ type: 'NodePort', ports: [{ port: 80 }] });
    s.defaults?.(o);
    expect((o.spec as { externalTrafficPolicy: string }).externalTrafficPolicy).toBe('Cluster');
  });

  test('validation messages', () => {
    const o = svc({ type: 'Bogus', ports: [{ port: 0 }] });
    s.defaults?.(o);
    expect((s.validate?.(o) ?? []).map(String)).toEqual([
      'spec.type: Unsupported value: "Bogus": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  test('cluster IP immutable and carried over', () => {
    const old = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
    s.defaults?.(old);
    const omitted = svc({ ports: [{ port: 80 }] });
    s.defaults?.(omitted);
    s.prepareForUpdate?.(omitted, old);
    expect((omitted.spec as { clusterIP: string }).clusterIP).toBe('10.96.0.10');
    const changed = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.11' });
    s.defaults?.(changed);
    s.prepareForUpdate?.(changed, old);
    expect((s.validateUpdate?.(changed, old) ?? []).map(String)).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  });
});

describe('service allocator', () => {
  const svc = (spec: object, name = 'web'): KubeObject => ({ metadata: { name, namespace: 'default' }, spec });

  test('allocates a cluster IP in range, not .1', () => {
    const a = new ServiceAllocator();
    const o = svc({ type: 'ClusterIP', ports: [{ port: 80 }] });
    a.allocate(o);
    const ip = (o.spec as { clusterIP: string }).clusterIP;
    expect(ip).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(ip).not.toBe('10.96.0.1');
    expect((o.spec as { clusterIPs: string[] }).clusterIPs).toEqual([ip]);
    expect(a.kubernetesServiceIP()).toBe('10.96.0.1');
  });

  test('rejects out-of-range and taken IPs with upstream messages', () => {
    const a = new ServiceAllocator();
    const msg = (fn: () => unknown) => { try { fn(); return ''; } catch (e) { return (e as StatusError).message; } };
    expect(msg(() => a.allocate(svc({ clusterIP: '1.2.3.4', clusterIPs: ['1.2.3.4'] })))).toBe(
      'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"1.2.3.4"}: failed to allocate IP 1.2.3.4: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    a.allocate(svc({ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'] }, 'kubernetes'));
    expect(msg(() => a.allocate(svc({ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'] })))).toBe(
      'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated');
  });

  test('node ports', () => {
    const a = new ServiceAllocator();
    const o = svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { port: 81 }] });
    a.allocate(o);
    const ports = (o.spec as { ports: { nodePort: number }[] }).ports;
    expect(ports[0].nodePort).toBe(30080);
    expect(ports[1].nodePort).toBeGreaterThanOrEqual(30000);
    expect(ports[1].nodePort).toBeLessThanOrEqual(32767);
    let err = '';
    try { a.allocate(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }, 'other')); } catch (e) { err = (e as StatusError).message; }
    expect(err).toBe('Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    // The failed call must not leak the IP it took first.
    a.release(o);
    expect(a.isPortAllocated(30080)).toBe(false);
  });

  test('headless and ExternalName get nothing; rebuild restores state', () => {
    const a = new ServiceAllocator();
    const h = svc({ clusterIP: 'None', clusterIPs: ['None'] });
    a.allocate(h);
    expect((h.spec as { clusterIP: string }).clusterIP).toBe('None');
    const en = svc({ type: 'ExternalName', externalName: 'example.com' });
    a.allocate(en);
    expect((en.spec as { clusterIP?: string }).clusterIP).toBeUndefined();
    a.rebuild([svc({ clusterIPs: ['10.96.0.50'], ports: [{ port: 1, nodePort: 31000 }], type: 'NodePort' })]);
    expect(a.isIpAllocated('10.96.0.50')).toBe(true);
    expect(a.isPortAllocated(31000)).toBe(true);
  });
});

describe('secrets and namespaces', () => {
  test('stringData folds into data; tls keys required', () => {
    const s = secretResource().strategy;
    const o: KubeObject = { metadata: { name: 's', namespace: 'default' }, stringData: { a: 'hello' }, data: { b: 'eA==' } };
    s.defaults?.(o);
    expect(o).toEqual({ metadata: { name: 's', namespace: 'default' }, type: 'Opaque', data: { a: 'aGVsbG8=', b: 'eA==' } });
    const tls: KubeObject = { metadata: { name: 't', namespace: 'default' }, type: 'kubernetes.io/tls', data: {} };
    expect((s.validate?.(tls) ?? []).map(String)).toEqual(['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
    expect(s.fieldAttributes?.(tls)).toEqual({ type: 'kubernetes.io/tls' });
  });

  test('namespace create defaults', () => {
    const s = namespaceResource().strategy;
    const o: KubeObject = { metadata: { name: 'team-a' } };
    s.defaults?.(o);
    void s.prepareForCreate?.(o, {});
    expect(o).toEqual({ metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  });
});

describe('builtinResources', () => {
  test('covers the listed kinds with upstream storage prefixes', () => {
    const defs = builtinResources();
    const byKey = new Map(defs.map((d) => [`${d.group}/${d.plural}`, d]));
    expect(byKey.get('/nodes')?.storagePrefix).toBe('minions');
    expect(byKey.get('/services')?.storagePrefix).toBe('services/specs');
    expect(byKey.get('/endpoints')?.storagePrefix).toBe('services/endpoints');
    expect(byKey.get('/pods')?.shortNames).toEqual(['po']);
    expect(byKey.get('apps/deployments')?.subresources.scale?.specReplicasPath).toBe('spec.replicas');
    expect(byKey.get('coordination.k8s.io/leases')).toBeDefined();
    expect(byKey.get('events.k8s.io/events')).toBeDefined();
    // Create-only kinds (the reviews) are never listed, so they have no table.
    for (const d of defs.filter((x) => x.verbs.includes('list'))) expect(d.printer?.columns.length ?? 0).toBeGreaterThan(0);
  });
});
