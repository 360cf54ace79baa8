// A Service's desired discovery.k8s.io/v1 EndpointSlices, as upstream's EndpointSlice controller shapes
// them: endpoints grouped by resolved port set, at most 100 per slice, conditions ready/serving/terminating,
// terminating pods included, and the service-name / managed-by labels (pure).
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { backends, isHeadless, type Backend } from './service-backends';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const controllerName = 'endpointslice-controller.k8s.io';
export const maxEndpointsPerSlice = 100;

/** What a slice holds, without its name (the controller matches these to existing slices). */
export interface SliceContent {
  labels: Record<string, string>;
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  delete labels['service.kubernetes.io/headless'];
  if (isHeadless(svc)) labels['service.kubernetes.io/headless'] = '';
  labels[serviceNameLabel] = svc.metadata?.name ?? '';
  labels[managedByLabel] = controllerName;
  return labels;
}

function endpointOf(b: Backend, svc: Service, zoneOf: (node: string) => string | undefined): Endpoint {
  const pod = b.pod;
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const e: Endpoint = {
    addresses: [b.ip],
    conditions: { ready: publish || (b.ready && !b.terminating), serving: b.ready, terminating: b.terminating },
  };
  if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name) e.hostname = pod.spec.hostname;
  if (pod.spec?.nodeName) {
    e.nodeName = pod.spec.nodeName;
    const zone = zoneOf(pod.spec.nodeName);
    if (zone) e.zone = zone;
  }
  e.targetRef = { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
  return e;
}

export function desiredSlices(svc: Service, pods: Pod[], zoneOf: (node: string) => string | undefined = () => undefined): SliceContent[] {
  const servicePorts = svc.spec?.ports ?? [];
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
  for (const b of backends(svc, pods, true)) {
    const ports: EndpointPort[] = [];
    servicePorts.forEach((sp, i) => {
      const port = b.ports[i];
      if (port === undefined) return;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    });
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, g = { ports, endpoints: [] });
    g.endpoints.push(endpointOf(b, svc, zoneOf));
  }
  const labels = sliceLabels(svc);
  const out: SliceContent[] = [];
  for (const g of [...groups.values()].sort((a, b) => JSON.stringify(a.ports).localeCompare(JSON.stringify(b.ports)))) {
    g.endpoints.sort((a, b) => a.addresses[0].localeCompare(b.addresses[0], 'en', { numeric: true }));
    for (let i = 0; i < g.endpoints.length; i += maxEndpointsPerSlice) {
      out.push({ labels, ports: g.ports, endpoints: g.endpoints.slice(i, i + maxEndpointsPerSlice) });
    }
  }
  // A Service with no backends keeps one empty placeholder slice, as upstream's controller does.
  if (out.length === 0) out.push({ labels, endpoints: [], ports: [] });
  return out;
}

/** A new slice object for content, owned by (and named after) its Service. */
export function newSlice(svc: Service, c: SliceContent): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: {
      generateName: `${svc.metadata?.name}-`, namespace: svc.metadata?.namespace, labels: c.labels,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata?.name ?? '', uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    endpoints: c.endpoints, ports: c.ports,
  };
}
