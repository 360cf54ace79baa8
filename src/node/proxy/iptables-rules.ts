// Builds the iptables-restore input for one proxy sync, as a pure function of the service ports, in the
// layout upstream kube-proxy's iptables mode writes: nat KUBE-SERVICES -> KUBE-SVC-* (1/n, 1/(n-1), ...
// random spreading) -> KUBE-SEP-* (DNAT), KUBE-NODEPORTS -> KUBE-EXT-*, KUBE-MARK-MASQ and KUBE-POSTROUTING
// with the 0x4000 mark, filter REJECTs for services without endpoints. Every rule matches only service
// addresses, node ports, service ports on load-balancer addresses, or packets already carrying our mark.
import { endpointChain, externalChain, isServiceChain, serviceChain } from './chain-names';
import type { ProxyServicePort } from './service-ports';

export interface RuleOptions {
  /** The service ClusterIP range (only used to scope the forwarding conntrack rule). */
  serviceCIDR: string;
  /** "first-last" of the node-port range, as the apiserver's --service-node-port-range. */
  nodePortRange: string;
  /** Pod CIDR: traffic to a ClusterIP from outside it is masqueraded (upstream's local detector). */
  clusterCIDR?: string;
  /** Masquerade all traffic to ClusterIPs (upstream --masquerade-all). */
  masqueradeAll?: boolean;
  /** Upstream's --iptables-masquerade-bit 14. */
  masqueradeMark?: string;
}

export interface SyncInput {
  ports: ProxyServicePort[];
  /**
   * Services whose chains are rewritten; undefined means all (a full sync). Chains of other services are
   * left out of the input, and so keep their rules (iptables-restore --noflush only flushes chains it names).
   */
  changed?: ReadonlySet<string>;
  /** Per-service chains present in the nat table now (from iptables-save or the last sync). */
  existingChains: Iterable<string>;
  /** Jump rules from the built-in chains that are missing and must be inserted (see missingJumps). */
  missingJumps?: JumpRule[];
}

export interface SyncPlan {
  /** iptables-restore input (filter and nat tables, one COMMIT each). */
  restore: string;
  /** Per-service nat chains that exist after this sync. */
  activeChains: Set<string>;
  /** Chains deleted by this sync. */
  deletedChains: string[];
}

export const MASQUERADE_MARK = '0x4000';

export const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'] as const;
export const FILTER_CHAINS = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS'] as const;

export interface JumpRule { table: 'nat' | 'filter'; from: string; to: string; comment: string; extra: string[] }

/** The rules in the built-in chains that lead into ours (upstream's iptablesJumpChains). */
export const JUMP_RULES: JumpRule[] = [
  { table: 'filter', from: 'INPUT', to: 'KUBE-EXTERNAL-SERVICES', comment: 'kubernetes externally-visible service portals', extra: ['-m', 'conntrack', '--ctstate', 'NEW'] },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-EXTERNAL-SERVICES', comment: 'kubernetes externally-visible service portals', extra: ['-m', 'conntrack', '--ctstate', 'NEW'] },
  { table: 'filter', from: 'INPUT', to: 'KUBE-NODEPORTS', comment: 'kubernetes health check service ports', extra: [] },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-SERVICES', comment: 'kubernetes service portals', extra: ['-m', 'conntrack', '--ctstate', 'NEW'] },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-SERVICES', comment: 'kubernetes service portals', extra: ['-m', 'conntrack', '--ctstate', 'NEW'] },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', comment: 'kubernetes forwarding rules', extra: [] },
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', from: 'POSTROUTING', to: 'KUBE-POSTROUTING', comment: 'kubernetes postrouting rules', extra: [] },
];

export const jumpRuleArgs = (j: JumpRule): string[] => [...j.extra, '-m', 'comment', '--comment', `"${j.comment}"`, '-j', j.to];

/** What iptables-save shows of one table: its chains and its rule lines. */
export interface SavedTable { chains: Set<string>; rules: string[] }

export function parseSave(text: string): SavedTable {
  const chains = new Set<string>();
  const rules: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) chains.add(line.slice(1).split(' ')[0]);
    else if (line.startsWith('-A ')) rules.push(line);
  }
  return { chains, rules };
}

/** Jump rules absent from a saved table (recognised by source chain, target and comment). */
export function missingJumps(table: 'nat' | 'filter', saved: SavedTable): JumpRule[] {
  return JUMP_RULES.filter((j) => j.table === table && !saved.rules.some((r) =>
    r.startsWith(`-A ${j.from} `) && r.endsWith(` -j ${j.to}`) && r.includes(`--comment "${j.comment}"`)
    && j.extra.every((x) => r.includes(x))));
}

/** Upstream's probability text: 1/n with ten decimals (iptables-save shows it back with eleven). */
export const probability = (n: number): string => (1 / n).toFixed(10);

const proto = (p: ProxyServicePort): string[] => ['-m', p.protocol, '-p', p.protocol];
const comment = (text: string): string[] => ['-m', 'comment', '--comment', `"${text}"`];

export function buildSync(input: SyncInput, opts: RuleOptions): SyncPlan {
  const mark = opts.masqueradeMark ?? MASQUERADE_MARK;
  const filterChains = FILTER_CHAINS.map((c) => `:${c} - [0:0]`);
  const filterRules: string[] = [];
  const natChains = NAT_CHAINS.map((c) => `:${c} - [0:0]`);
  const natRules: string[] = [];
  const line = (out: string[], ...parts: string[]) => out.push(parts.join(' '));
  const active = new Set<string>();

  for (const j of input.missingJumps ?? []) line(j.table === 'nat' ? natRules : filterRules, '-I', j.from, '1', ...jumpRuleArgs(j));

  line(natRules, '-A KUBE-POSTROUTING -m mark ! --mark', `${mark}/${mark}`, '-j RETURN');
  line(natRules, '-A KUBE-POSTROUTING -j MARK --xor-mark', mark);
  line(natRules, '-A KUBE-POSTROUTING', ...comment('kubernetes service traffic requiring SNAT'), '-j MASQUERADE --random-fully');
  line(natRules, '-A KUBE-MARK-MASQ -j MARK --or-mark', mark);

  for (const p of input.ports) {
    const svc = serviceChain(p.name, p.protocol);
    const ext = externalChain(p.name, p.protocol);
    const has = p.endpoints.length > 0;
    const external = p.nodePort !== 0 || p.loadBalancerIPs.length > 0;
    const dst = ['-d', p.clusterIP, '--dport', String(p.port)];
    const noEndpoints = comment(`${p.name} has no endpoints`);

    if (has) line(natRules, '-A KUBE-SERVICES', ...comment(`${p.name} cluster IP`), ...proto(p), ...dst, '-j', svc);
    else line(filterRules, '-A KUBE-SERVICES', ...noEndpoints, ...proto(p), ...dst, '-j REJECT');
    for (const lb of p.loadBalancerIPs) {
      const lbDst = ['-d', lb, '--dport', String(p.port)];
      if (has) line(natRules, '-A KUBE-SERVICES', ...comment(`${p.name} loadbalancer IP`), ...proto(p), ...lbDst, '-j', ext);
      else line(filterRules, '-A KUBE-EXTERNAL-SERVICES', ...noEndpoints, ...proto(p), ...lbDst, '-j REJECT');
    }
    if (p.nodePort) {
      if (has) line(natRules, '-A KUBE-NODEPORTS', ...comment(p.name), ...proto(p), '--dport', String(p.nodePort), '-j', ext);
      else line(filterRules, '-A KUBE-EXTERNAL-SERVICES', ...noEndpoints, '-m addrtype --dst-type LOCAL', ...proto(p), '--dport', String(p.nodePort), '-j REJECT');
    }
    if (!has) continue;

    const epChains = p.endpoints.map((e) => ({ e, chain: endpointChain(p.name, p.protocol, `${e.ip}:${e.port}`) }));
    active.add(svc);
    if (external) active.add(ext);
    for (const { chain } of epChains) active.add(chain);
    if (input.changed && !input.changed.has(p.service)) continue;

    natChains.push(`:${svc} - [0:0]`);
    if (opts.masqueradeAll) line(natRules, '-A', svc, ...comment(`${p.name} cluster IP`), ...proto(p), ...dst, '-j KUBE-MARK-MASQ');
    else if (opts.clusterCIDR) line(natRules, '-A', svc, ...comment(`${p.name} cluster IP`), ...proto(p), ...dst, '!', '-s', opts.clusterCIDR, '-j KUBE-MARK-MASQ');
    if (external) {
      natChains.push(`:${ext} - [0:0]`);
      line(natRules, '-A', ext, ...comment(`masquerade traffic for ${p.name} external destinations`), '-j KUBE-MARK-MASQ');
      line(natRules, '-A', ext, '-j', svc);
    }
    if (p.affinitySeconds !== undefined) {
      for (const { e, chain } of epChains) {
        line(natRules, '-A', svc, ...comment(`${p.name} -> ${e.ip}:${e.port}`),
          '-m recent --name', chain, '--rcheck --seconds', String(p.affinitySeconds), '--reap -j', chain);
      }
    }
    epChains.forEach(({ e, chain }, i) => {
      const left = epChains.length - i;
      const spread = left > 1 ? ['-m statistic --mode random --probability', probability(left)] : [];
      line(natRules, '-A', svc, ...comment(`${p.name} -> ${e.ip}:${e.port}`), ...spread, '-j', chain);
    });
    for (const { e, chain } of epChains) {
      natChains.push(`:${chain} - [0:0]`);
      // Hairpin: a backend reaching its own service must see the reply come back through the node.
      line(natRules, '-A', chain, ...comment(p.name), '-s', e.ip, '-j KUBE-MARK-MASQ');
      const affinity = p.affinitySeconds !== undefined ? ['-m recent --name', chain, '--set'] : [];
      line(natRules, '-A', chain, ...comment(p.name), ...affinity, ...proto(p), '-j DNAT --to-destination', `${e.ip}:${e.port}`);
    }
  }

  const deleted: string[] = [];
  for (const chain of input.existingChains) {
    if (active.has(chain) || !isServiceChain(chain)) continue;
    natChains.push(`:${chain} - [0:0]`);
    natRules.push(`-X ${chain}`);
    deleted.push(chain);
  }

  // Without route_localnet (a host-wide setting we leave alone) node ports cannot be DNATed from 127/8.
  line(natRules, '-A KUBE-SERVICES', ...comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
    '-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS');

  line(filterRules, '-A KUBE-FORWARD', ...comment('kubernetes forwarding rules'), '-m mark --mark', `${mark}/${mark}`, '-j ACCEPT');
  // Upstream accepts every established forwarded connection here; we scope it to service traffic.
  line(filterRules, '-A KUBE-FORWARD', ...comment('kubernetes forwarding conntrack rule'),
    '-m conntrack --ctstate RELATED,ESTABLISHED --ctorigdst', opts.serviceCIDR, '-j ACCEPT');
  line(filterRules, '-A KUBE-FORWARD', ...comment('kubernetes forwarding conntrack rule'),
    '-m conntrack --ctstate RELATED,ESTABLISHED --ctorigdstport', opts.nodePortRange.replace('-', ':'), '-j ACCEPT');

  const restore = ['*filter', ...filterChains, ...filterRules, 'COMMIT', '*nat', ...natChains, ...natRules, 'COMMIT', ''].join('\n');
  return { restore, activeChains: active, deletedChains: deleted };
}

/** iptables-restore input that removes everything the proxy installed (upstream's --cleanup). */
export function buildCleanup(nat: SavedTable, filter: SavedTable): string {
  const section = (table: 'nat' | 'filter', saved: SavedTable, fixed: readonly string[]): string[] => {
    const ours = [...saved.chains].filter((c) => fixed.includes(c) || (table === 'nat' && isServiceChain(c)));
    const jumps = saved.rules.filter((r) => JUMP_RULES.some((j) => j.table === table && r.startsWith(`-A ${j.from} `)
      && r.endsWith(` -j ${j.to}`) && r.includes(`--comment "${j.comment}"`)));
    return [
      `*${table}`,
      ...ours.map((c) => `:${c} - [0:0]`),
      ...jumps.map((r) => `-D${r.slice(2)}`),
      ...ours.map((c) => `-X ${c}`),
      'COMMIT',
    ];
  };
  return [...section('filter', filter, FILTER_CHAINS), ...section('nat', nat, NAT_CHAINS), ''].join('\n');
}
