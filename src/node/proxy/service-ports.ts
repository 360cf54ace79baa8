// The proxy's view of one Service: one entry per (IPv4) service port with the endpoints that serve it,
// as upstream's ServicePortName/endpointsMap hold them. Target ports are resolved by the EndpointSlice
// ports' names, so named target ports need nothing more here.
import type { Service } from 'kubernetes-types/core/v1';
import { isIPv4 } from 'node:net';
import { clusterIPs, isExternalName, isHeadless, isReady, type ServiceBackends } from '../service-backends';

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface ProxyEndpoint { ip: string; port: number }

export interface ProxyServicePort {
  /** The owning Service's `namespace/name`. */
  service: string;
  /** Upstream's ServicePortName string: `ns/name:port` for a named port, `ns/name` otherwise. */
  name: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  /** 0 when the service has none. */
  nodePort: number;
  loadBalancerIPs: string[];
  /** sessionAffinity ClientIP's timeout in seconds, undefined for no affinity. */
  affinitySeconds?: number;
  /** Sorted by ip:port so that the generated rules do not depend on event order. */
  endpoints: ProxyEndpoint[];
}

/** Upstream's default for sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

function wantsNodePort(svc: Service): boolean {
  return svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
}

export function proxyServicePorts({ service, slices }: ServiceBackends): ProxyServicePort[] {
  if (isExternalName(service) || isHeadless(service)) return [];
  const clusterIP = clusterIPs(service).find((ip) => isIPv4(ip));
  const ns = service.metadata?.namespace ?? '';
  const name = service.metadata?.name ?? '';
  if (!clusterIP) return [];
  const affinity = service.spec?.sessionAffinity === 'ClientIP'
    ? service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS : undefined;
  const lbIPs = service.spec?.type === 'LoadBalancer'
    ? (service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip && isIPv4(ip)) : [];
  return (service.spec?.ports ?? []).map((sp) => {
    const protocol = (sp.protocol ?? 'TCP').toLowerCase() as Protocol;
    const portName = sp.name ?? '';
    const ready: ProxyEndpoint[] = [];
    const terminating: ProxyEndpoint[] = [];
    for (const slice of slices) {
      if (slice.addressType !== 'IPv4') continue;
      const match = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP').toLowerCase() === protocol);
      if (match?.port === undefined) continue;
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses[0];
        if (!ip) continue;
        if (isReady(ep)) ready.push({ ip, port: match.port });
        // As upstream: serving terminating endpoints are used only when nothing is ready.
        else if (ep.conditions?.serving && ep.conditions.terminating) terminating.push({ ip, port: match.port });
      }
    }
    const chosen = ready.length ? ready : terminating;
    const unique = new Map(chosen.map((e) => [`${e.ip}:${e.port}`, e]));
    const endpoints = [...unique.keys()].sort().map((k) => unique.get(k)!);
    return {
      service: `${ns}/${name}`, name: `${ns}/${name}${portName ? `:${portName}` : ''}`, protocol, clusterIP, port: sp.port,
      nodePort: wantsNodePort(service) ? sp.nodePort ?? 0 : 0, loadBalancerIPs: lbIPs, affinitySeconds: affinity, endpoints,
    };
  });
}
