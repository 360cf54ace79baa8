// The kube-dns Service has no selector (`kubets dns` is a node process, not a pod), so the DNS role
// publishes its own address as the Service's backend: the core/v1 Endpoints and the EndpointSlice that
// upstream's mirroring controller would make from them, port names matching the Service's (dns, dns-tcp).
import type { Endpoints } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { resources } from '../../client/resource-ref';
import type { RestClient } from '../../client/rest-client';
import { deepEqual } from '../../registry/object-meta';
import { SERVICE_NAME_LABEL } from '../service-backends';

export const DNS_SERVICE = { namespace: 'kube-system', name: 'kube-dns' };
export const DNS_SLICE_MANAGER = 'kubets-dns';

export interface DnsBackend { ip: string; port: number }

export function dnsEndpoints(b: DnsBackend): Endpoints {
  return {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { ...DNS_SERVICE, labels: { 'k8s-app': 'kube-dns', 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{
      addresses: [{ ip: b.ip }],
      ports: [{ name: 'dns', port: b.port, protocol: 'UDP' }, { name: 'dns-tcp', port: b.port, protocol: 'TCP' }],
    }],
  };
}

export function dnsEndpointSlice(b: DnsBackend): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: {
      namespace: DNS_SERVICE.namespace, name: `${DNS_SERVICE.name}-node`,
      labels: { [SERVICE_NAME_LABEL]: DNS_SERVICE.name, 'endpointslice.kubernetes.io/managed-by': DNS_SLICE_MANAGER },
    },
    endpoints: [{ addresses: [b.ip], conditions: { ready: true, serving: true, terminating: false } }],
    ports: [{ name: 'dns', port: b.port, protocol: 'UDP' }, { name: 'dns-tcp', port: b.port, protocol: 'TCP' }],
  };
}

/** Creates or corrects both objects; a no-op when they already say the same. */
export async function publishDnsBackend(client: RestClient, b: DnsBackend, slices: boolean): Promise<void> {
  const { namespace, name } = DNS_SERVICE;
  const ep = dnsEndpoints(b);
  const have = await client.find<Endpoints>(resources.endpoints, namespace, name);
  if (!have) await client.create(resources.endpoints, namespace, ep);
  else if (!deepEqual(have.subsets, ep.subsets) || !deepEqual(have.metadata?.labels, ep.metadata?.labels)) {
    await client.update(resources.endpoints, { ...have, metadata: { ...have.metadata, labels: ep.metadata?.labels }, subsets: ep.subsets });
  }
  if (!slices) return;
  const slice = dnsEndpointSlice(b);
  const current = await client.find<EndpointSlice>(resources.endpointslices, namespace, slice.metadata!.name!);
  if (!current) await client.create(resources.endpointslices, namespace, slice);
  else if (!deepEqual(current.endpoints, slice.endpoints) || !deepEqual(current.ports, slice.ports)
    || !deepEqual(current.metadata?.labels, slice.metadata?.labels)) {
    await client.update(resources.endpointslices, { ...slice, metadata: { ...current.metadata, labels: slice.metadata?.labels } });
  }
}
