// What the node's service components (proxy, DNS) know about one Service: the Service and its
// EndpointSlices. Endpoints objects are turned into the same slice shape, so the components read one
// model whether the cluster serves discovery.k8s.io/v1 EndpointSlices or only core/v1 Endpoints.
import type { EndpointSlice, Endpoint as SliceEndpoint } from 'kubernetes-types/discovery/v1';
import type { EndpointAddress, Endpoints, Service } from 'kubernetes-types/core/v1';
import { isIPv6 } from 'node:net';

/** The label tying an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServiceBackends {
  service: Service;
  slices: EndpointSlice[];
}

export const serviceKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** The `namespace/name` of the Service an EndpointSlice belongs to, or undefined for an orphan slice. */
export function sliceServiceKey(slice: EndpointSlice): string | undefined {
  const svc = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
  const ns = slice.metadata?.namespace;
  return svc && ns ? serviceKey(ns, svc) : undefined;
}

/** One subset of an Endpoints object per address family becomes one slice, as the mirroring controller does. */
export function endpointsToSlices(ep: Endpoints): EndpointSlice[] {
  const out: EndpointSlice[] = [];
  const name = ep.metadata?.name ?? '';
  (ep.subsets ?? []).forEach((subset, i) => {
    const toEndpoint = (a: EndpointAddress, ready: boolean): SliceEndpoint => ({
      addresses: [a.ip],
      conditions: { ready, serving: ready, terminating: false },
      ...(a.hostname ? { hostname: a.hostname } : {}),
      ...(a.nodeName ? { nodeName: a.nodeName } : {}),
      ...(a.targetRef ? { targetRef: a.targetRef } : {}),
    });
    const all = [
      ...(subset.addresses ?? []).map((a) => toEndpoint(a, true)),
      ...(subset.notReadyAddresses ?? []).map((a) => toEndpoint(a, false)),
    ];
    for (const family of ['IPv4', 'IPv6'] as const) {
      const endpoints = all.filter((e) => (isIPv6(e.addresses[0]) ? 'IPv6' : 'IPv4') === family);
      if (endpoints.length === 0) continue;
      out.push({
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: family,
        metadata: { name: `${name}-${i}-${family.toLowerCase()}`, namespace: ep.metadata?.namespace, labels: { [SERVICE_NAME_LABEL]: name } },
        endpoints,
        ports: (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
      });
    }
  });
  return out;
}

/** Ready as consumers must read it: an unset condition means ready. */
export const isReady = (e: SliceEndpoint): boolean => e.conditions?.ready !== false;

/** The Service's cluster IPs (none for headless and ExternalName services). */
export function clusterIPs(svc: Service): string[] {
  const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  return ips.filter((ip) => ip !== 'None' && ip !== '');
}

export const isHeadless = (svc: Service): boolean => svc.spec?.clusterIP === 'None';
export const isExternalName = (svc: Service): boolean => svc.spec?.type === 'ExternalName';
