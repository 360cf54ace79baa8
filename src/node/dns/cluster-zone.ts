// The cluster's DNS zone as CoreDNS's kubernetes plugin serves it, built from Services and their
// EndpointSlices: service names, headless endpoint names, SRV records for named ports, ExternalName
// CNAMEs and reverse (PTR) names. Pod names (`1-2-3-4.<ns>.pod.<domain>`) are answered from the name
// itself, as CoreDNS's `pods insecure` mode (kubeadm's default) does, so they are not stored.
import { isIPv4, isIPv6 } from 'node:net';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import {
  clusterIPs, isExternalName, isHeadless, isReady, type ServiceBackends,
} from '../service-backends';

export type ZoneRecord =
  | { type: 'A' | 'AAAA' | 'CNAME' | 'PTR'; data: string }
  | { type: 'SRV'; data: { priority: number; weight: number; port: number; target: string } };

export interface ZoneOptions {
  /** The cluster domain, default cluster.local. */
  domain?: string;
}

/** The reverse-lookup name of an IP address (in-addr.arpa or ip6.arpa), without a trailing dot. */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  if (!isIPv6(ip)) return undefined;
  const [head, tail = ''] = ip.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const full = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const nibbles = full.map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}

/** The address a pod name's first label spells (`10-244-0-5`, or `fd00--5` for IPv6), if any. */
export function dashedToIP(label: string): string | undefined {
  const v4 = label.replace(/-/g, '.');
  if (isIPv4(v4)) return v4;
  const v6 = label.replace(/-/g, ':');
  return isIPv6(v6) ? v6 : undefined;
}

export const ipToDashed = (ip: string): string => ip.replace(/[.:]/g, '-');

export class ClusterZone {
  readonly domain: string;
  private readonly records = new Map<string, ZoneRecord[]>();
  /** Names that exist only because names below them do (answer NOERROR with no records, not NXDOMAIN). */
  private readonly interior = new Set<string>();

  constructor(backends: Iterable<ServiceBackends>, opts: ZoneOptions = {}) {
    this.domain = (opts.domain ?? 'cluster.local').toLowerCase();
    for (const d of ['svc', 'pod']) this.interior.add(`${d}.${this.domain}`);
    for (const b of backends) this.addService(b);
  }

  /** The records at a name (lowercase, no trailing dot), or undefined when the name does not exist. */
  lookup(name: string): ZoneRecord[] | undefined {
    const stored = this.records.get(name);
    if (stored) return stored;
    if (name === this.domain || this.interior.has(name)) return [];
    return this.podRecords(name);
  }

  inZone(name: string): boolean {
    return name === this.domain || name.endsWith(`.${this.domain}`);
  }

  private podRecords(name: string): ZoneRecord[] | undefined {
    const labels = name.split('.');
    // <dashed-ip>.<ns>.pod.<domain>
    if (labels.length < 3 || `${labels.slice(2).join('.')}` !== `pod.${this.domain}`) return undefined;
    const ip = dashedToIP(labels[0]);
    if (!ip) return undefined;
    return [{ type: isIPv4(ip) ? 'A' : 'AAAA', data: ip }];
  }

  private add(name: string, rec: ZoneRecord): void {
    const list = this.records.get(name);
    if (list) {
      if (!list.some((r) => r.type === rec.type && JSON.stringify(r.data) === JSON.stringify(rec.data))) list.push(rec);
    } else {
      this.records.set(name, [rec]);
    }
    // Every ancestor inside the zone exists too.
    for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
      const parent = name.slice(i + 1);
      if (!this.inZone(parent)) break;
      this.interior.add(parent);
    }
  }

  private addAddress(name: string, ip: string): void {
    this.add(name, { type: isIPv4(ip) ? 'A' : 'AAAA', data: ip });
  }

  private addPtr(ip: string, target: string): void {
    const rev = reverseName(ip);
    if (rev) this.add(rev, { type: 'PTR', data: target });
  }

  private addService({ service, slices }: ServiceBackends): void {
    const ns = service.metadata?.namespace;
    const name = service.metadata?.name;
    if (!ns || !name) return;
    const fqdn = `${name}.${ns}.svc.${this.domain}`.toLowerCase();
    if (isExternalName(service)) {
      const target = service.spec?.externalName?.replace(/\.$/, '').toLowerCase();
      if (target) this.add(fqdn, { type: 'CNAME', data: target });
      return;
    }
    if (isHeadless(service)) { this.addHeadless(fqdn, service.spec?.publishNotReadyAddresses === true, slices); return; }
    const ips = clusterIPs(service);
    if (ips.length === 0) return;
    for (const ip of ips) { this.addAddress(fqdn, ip); this.addPtr(ip, fqdn); }
    for (const p of service.spec?.ports ?? []) {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const srv: ZoneRecord = { type: 'SRV', data: { priority: 0, weight: 100, port: p.port, target: fqdn } };
      if (p.name) this.add(`_${p.name}._${proto}.${fqdn}`.toLowerCase(), srv);
      this.add(fqdn, srv);
    }
  }

  /** A headless service answers with its (ready) endpoints, each also named by hostname or dashed IP. */
  private addHeadless(fqdn: string, publishNotReady: boolean, slices: EndpointSlice[]): void {
    const targets: { name: string; ip: string }[] = [];
    for (const slice of slices) {
      if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
      for (const ep of slice.endpoints ?? []) {
        if (!publishNotReady && !isReady(ep)) continue;
        for (const ip of ep.addresses.slice(0, 1)) {
          const host = (ep.hostname || ipToDashed(ip)).toLowerCase();
          const epName = `${host}.${fqdn}`;
          this.addAddress(fqdn, ip);
          this.addAddress(epName, ip);
          this.addPtr(ip, epName);
          targets.push({ name: epName, ip });
        }
      }
      for (const port of slice.ports ?? []) {
        if (port.port === undefined) continue;
        const proto = (port.protocol ?? 'TCP').toLowerCase();
        const weight = targets.length ? Math.max(1, Math.floor(100 / targets.length)) : 100;
        for (const t of targets) {
          const srv: ZoneRecord = { type: 'SRV', data: { priority: 0, weight, port: port.port, target: t.name } };
          if (port.name) this.add(`_${port.name}._${proto}.${fqdn}`.toLowerCase(), srv);
          this.add(fqdn, srv);
        }
      }
      targets.length = 0;
    }
  }
}
