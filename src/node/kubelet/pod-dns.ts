// A pod's resolv.conf as upstream's kubelet DNS configurer writes it: ClusterFirst pods get the cluster DNS
// with the namespace's search path and ndots:5 (host-network pods only with ClusterFirstWithHostNet),
// Default pods get the node's resolver (--resolv-conf), None only what dnsConfig says; dnsConfig is then
// merged in (nameservers and searches appended without duplicates, options overriding by name).
import { readFileSync } from 'node:fs';
import type { Pod, PodDNSConfigOption } from 'kubernetes-types/core/v1';
import type { PodSandboxConfig } from '../cri/cri-types';

export interface ResolvConf { servers: string[]; searches: string[]; options: string[] }

export interface DnsSettings {
  /** --cluster-dns; without it ClusterFirst falls back to the host's resolver, as upstream does. */
  clusterDns: string[];
  clusterDomain: string;
  /** The node's resolver (--resolv-conf, default /etc/resolv.conf). */
  host: ResolvConf;
}

/** Upstream's limits on what reaches a pod's resolv.conf (glibc reads at most 3 nameservers). */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...fields] = raw.replace(/[#;].*/, '').trim().split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.servers.push(fields[0]);
    // The last search or domain line wins, as the resolver reads it.
    else if (key === 'search' || key === 'domain') out.searches = fields.filter(Boolean);
    else if (key === 'options') out.options.push(...fields.filter(Boolean));
  }
  return out;
}

export function readResolvConf(file: string): ResolvConf {
  try { return parseResolvConf(readFileSync(file, 'utf8')); } catch { return { servers: [], searches: [], options: [] }; }
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** Options keep their first position; a later one with the same name replaces its value. */
function mergeOptions(base: string[], extra: PodDNSConfigOption[]): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0]!, o);
  for (const o of extra) {
    if (!o.name) continue;
    byName.set(o.name, o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : o.name);
  }
  return [...byName.values()];
}

export function podDnsConfig(pod: Pod, s: DnsSettings): NonNullable<PodSandboxConfig['dnsConfig']> {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const cluster = (policy === 'ClusterFirst' && !pod.spec?.hostNetwork) || policy === 'ClusterFirstWithHostNet';
  let base: ResolvConf;
  if (policy === 'None') base = { servers: [], searches: [], options: [] };
  else if (cluster && s.clusterDns.length > 0) {
    const ns = pod.metadata?.namespace ?? 'default';
    const d = s.clusterDomain;
    base = { servers: s.clusterDns, searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...s.host.searches], options: ['ndots:5'] };
  } else base = s.host;
  const custom = pod.spec?.dnsConfig;
  return {
    servers: unique([...base.servers, ...(custom?.nameservers ?? [])]).slice(0, MAX_NAMESERVERS),
    searches: unique([...base.searches, ...(custom?.searches ?? [])]).slice(0, MAX_SEARCHES),
    options: mergeOptions(base.options, custom?.options ?? []),
  };
}
