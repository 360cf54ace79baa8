// From an Ingress service backend to the endpoint address a request goes to: the Service port by number or
// name, its ready endpoints from the EndpointSlices (else the Endpoints object), taken round-robin. Pure
// over the lookups it is given, so tests drive it without a cluster.
import type { EndpointPort, Endpoints, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { IngressServiceBackend } from 'kubernetes-types/networking/v1';
import { endpointsToSlices, isReady } from '../service-backends';

export interface Endpoint { ip: string; port: number }

/** What the backend selection reads from the cluster (informer caches in the controller). */
export interface BackendLookups {
  service(namespace: string, name: string): Service | undefined;
  /** The EndpointSlices labelled kubernetes.io/service-name=<name>. */
  slices(namespace: string, name: string): EndpointSlice[];
  endpoints(namespace: string, name: string): Endpoints | undefined;
}

export type Selection =
  | { kind: 'endpoint'; endpoint: Endpoint }
  /** No such Service or port, or no ready endpoint: the request is answered 503. */
  | { kind: 'unavailable'; reason: string };

export function servicePortFor(svc: Service, backend: IngressServiceBackend): ServicePort | undefined {
  const want = backend.port;
  return (svc.spec?.ports ?? []).find((p) =>
    want?.number !== undefined && want.number !== 0 ? p.port === want.number : p.name === want?.name);
}

/** Endpoint ports carry the Service port's name ('' or absent for a single unnamed port). */
function samePortName(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '') === (b ?? '');
}

function tcpPort(ports: EndpointPort[] | undefined, name: string | undefined): number | undefined {
  return ports?.find((p) => samePortName(p.name, name) && (p.protocol ?? 'TCP') === 'TCP')?.port;
}

export function endpointsFromSlices(slices: EndpointSlice[], servicePort: ServicePort): Endpoint[] {
  const out: Endpoint[] = [];
  for (const s of slices) {
    if (s.addressType === 'FQDN') continue;
    const port = tcpPort(s.ports as EndpointPort[] | undefined, servicePort.name);
    if (port === undefined) continue;
    for (const e of s.endpoints ?? []) {
      if (!isReady(e)) continue;
      // Consumers use the first address; the others are for the same endpoint (upstream's comment on the field).
      const ip = e.addresses[0];
      if (ip) out.push({ ip, port });
    }
  }
  return out;
}

/** The ready endpoints behind a backend: EndpointSlices when the Service has any, else its Endpoints. */
export function backendEndpoints(lookups: BackendLookups, namespace: string, backend: IngressServiceBackend): Endpoint[] | string {
  const svc = lookups.service(namespace, backend.name);
  if (!svc) return `service ${namespace}/${backend.name} not found`;
  const port = servicePortFor(svc, backend);
  if (!port) return `service ${namespace}/${backend.name} has no port ${backend.port?.number ?? backend.port?.name ?? ''}`;
  const slices = lookups.slices(namespace, backend.name);
  if (slices.length > 0) return endpointsFromSlices(slices, port);
  const ep = lookups.endpoints(namespace, backend.name);
  // An Endpoints object is read through the same slice shape the proxy and DNS use.
  return ep ? endpointsFromSlices(endpointsToSlices(ep), port) : [];
}

/** Round-robin per backend: each call moves one endpoint on, whatever the current endpoint list is. */
export class RoundRobin {
  private readonly next = new Map<string, number>();

  select(lookups: BackendLookups, namespace: string, backend: IngressServiceBackend): Selection {
    const eps = backendEndpoints(lookups, namespace, backend);
    if (typeof eps === 'string') return { kind: 'unavailable', reason: eps };
    if (eps.length === 0) return { kind: 'unavailable', reason: `no endpoints for service ${namespace}/${backend.name}` };
    // A stable order, so that round-robin does not depend on the order informers delivered objects in.
    eps.sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
    const key = `${namespace}/${backend.name}:${backend.port?.number ?? backend.port?.name ?? ''}`;
    const i = (this.next.get(key) ?? 0) % eps.length;
    this.next.set(key, i + 1);
    return { kind: 'endpoint', endpoint: eps[i]! };
  }
}
