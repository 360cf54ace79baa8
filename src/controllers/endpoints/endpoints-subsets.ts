// A Service's desired core/v1 Endpoints subsets, packed as upstream's RepackSubsets packs them: ports
// that share the same set of (address, ready) go in one subset; addresses sorted by IP (pure).
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service } from 'kubernetes-types/core/v1';
import { backends, isHeadless, type Backend } from './service-backends';

function addressOf(b: Backend, svc: Service): EndpointAddress {
  const pod = b.pod;
  const a: EndpointAddress = { ip: b.ip };
  if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name) a.hostname = pod.spec.hostname;
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
  return a;
}

const byIp = (a: EndpointAddress, b: EndpointAddress) =>
  a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');

export function desiredSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const found = backends(svc, pods, tolerateUnready);
  const servicePorts = svc.spec?.ports ?? [];
  if (servicePorts.length === 0) {
    // A headless service without ports still lists its pods' addresses.
    if (!isHeadless(svc) || found.length === 0) return [];
    const ready = found.filter((b) => tolerateUnready || b.ready).map((b) => addressOf(b, svc)).sort(byIp);
    const notReady = found.filter((b) => !(tolerateUnready || b.ready)).map((b) => addressOf(b, svc)).sort(byIp);
    return [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}) }];
  }
  // port (as JSON) → address key → ready
  const portAddrs = new Map<string, { port: EndpointPort; addrs: Map<string, { addr: EndpointAddress; ready: boolean }> }>();
  for (const b of found) {
    servicePorts.forEach((sp, i) => {
      const target = b.ports[i];
      if (target === undefined) return;
      const port: EndpointPort = { ...(sp.name ? { name: sp.name } : {}), port: target, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
      const pk = JSON.stringify(port);
      let entry = portAddrs.get(pk);
      if (!entry) portAddrs.set(pk, entry = { port, addrs: new Map() });
      const addr = addressOf(b, svc);
      entry.addrs.set(`${addr.ip}/${addr.targetRef?.uid ?? ''}`, { addr, ready: tolerateUnready || b.ready });
    });
  }
  // Ports with identical (address, ready) sets share a subset.
  const groups = new Map<string, { ports: EndpointPort[]; addrs: { addr: EndpointAddress; ready: boolean }[] }>();
  for (const { port, addrs } of portAddrs.values()) {
    const gk = [...addrs].map(([k, v]) => `${k}=${v.ready}`).sort().join(',');
    let g = groups.get(gk);
    if (!g) groups.set(gk, g = { ports: [], addrs: [...addrs.values()] });
    g.ports.push(port);
  }
  const subsets = [...groups.values()].map((g) => {
    const ready = g.addrs.filter((a) => a.ready).map((a) => a.addr).sort(byIp);
    const notReady = g.addrs.filter((a) => !a.ready).map((a) => a.addr).sort(byIp);
    const ports = g.ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    return { ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports };
  });
  return subsets.sort((a, b) => JSON.stringify(a.ports).localeCompare(JSON.stringify(b.ports)));
}

/** The Endpoints' labels: the Service's, plus service.kubernetes.io/headless for a headless one. */
export function endpointsLabels(svc: Service): Record<string, string> {
  const labels = { ...(svc.metadata?.labels ?? {}) };
  if (isHeadless(svc)) labels['service.kubernetes.io/headless'] = '';
  else delete labels['service.kubernetes.io/headless'];
  return labels;
}
