// Builds the iptables-restore input for one proxy sync, as a pure function of the service ports, in the
// layout upstream kube-proxy's iptables mode writes: nat KUBE-SERVICES -> KUBE-SVC-* (1/n, 1/(n-1), ...
// random spreading) -> KUBE-SEP-* (DNAT), KUBE-NODEPORTS -> KUBE-EXT-*, KUBE-MARK-MASQ and KUBE-POSTROUTING
// with the 0x4000 mark, filter REJECTs for services without endpoints. Every rule matches only service
// addresses, node ports, service ports on load-balancer addresses, or packets already carrying our mark.
// The chain names come from a ChainSet, so one cluster's chains can sit beside another's.
import { chainSet, UPSTREAM_PREFIX, type ChainSet } from './chain-names';
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
  /** The chains to write (upstream's KUBE-* names by default). */
  chains?: ChainSet;
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
  /**
   * Each port's rules from earlier syncs, by port object: the caller keeps an unchanged service's port
   * objects from sync to sync, so only the changed services' rules are built again. One memo per RuleOptions.
   */
  memo?: WeakMap<ProxyServicePort, PortRules>;
  /** Jump rules from the built-in chains that are missing and must be inserted (see missingJumps). */
  missingJumps?: JumpRule[];
  /**
   * The fixed chains' rules as the last successful sync wrote them (SyncPlan.fixedChains): on a partial
   * sync a fixed chain whose rules are unchanged is left out, so an endpoint change rewrites only its
   * service's chains (iptables-nft's cost grows with every rule written while thousands of chains exist).
   */
  written?: ReadonlyMap<string, string>;
}

export interface SyncPlan {
  /** iptables-restore input (filter and nat tables, one COMMIT each). */
  restore: string;
  /** Per-service nat chains that exist after this sync. */
  activeChains: Set<string>;
  /** Chains deleted by this sync. */
  deletedChains: string[];
  /** The fixed chains' rules, by "table/chain", for the next partial sync's `written`. */
  fixedChains: Map<string, string>;
}

export const MASQUERADE_MARK = '0x4000';

export const natChains = (c: ChainSet): string[] => [c.services, c.nodePorts, c.postrouting, c.markMasq];
export const filterChains = (c: ChainSet): string[] => [c.services, c.externalServices, c.forward, c.nodePorts];

export interface JumpRule { table: 'nat' | 'filter'; from: string; to: string; comment: string; extra: string[] }

/**
 * The rules in the built-in chains that lead into ours (upstream's iptablesJumpChains). A chain set of its
 * own shares the host with other clusters, each with the same service range: pod traffic entering through
 * PREROUTING goes to the chains of the cluster whose pods sent it (its cluster CIDR).
 */
export function jumpRules(c: ChainSet = chainSet(), clusterCIDR?: string): JumpRule[] {
  const fromPods = c.prefix !== UPSTREAM_PREFIX && clusterCIDR ? ['-s', clusterCIDR] : [];
  const isNew = ['-m', 'conntrack', '--ctstate', 'NEW'];
  return [
    { table: 'filter', from: 'INPUT', to: c.externalServices, comment: 'kubernetes externally-visible service portals', extra: isNew },
    { table: 'filter', from: 'FORWARD', to: c.externalServices, comment: 'kubernetes externally-visible service portals', extra: isNew },
    { table: 'filter', from: 'INPUT', to: c.nodePorts, comment: 'kubernetes health check service ports', extra: [] },
    { table: 'filter', from: 'FORWARD', to: c.services, comment: 'kubernetes service portals', extra: isNew },
    { table: 'filter', from: 'OUTPUT', to: c.services, comment: 'kubernetes service portals', extra: isNew },
    { table: 'filter', from: 'FORWARD', to: c.forward, comment: 'kubernetes forwarding rules', extra: [] },
    { table: 'nat', from: 'OUTPUT', to: c.services, comment: 'kubernetes service portals', extra: [] },
    { table: 'nat', from: 'PREROUTING', to: c.services, comment: 'kubernetes service portals', extra: fromPods },
    { table: 'nat', from: 'POSTROUTING', to: c.postrouting, comment: 'kubernetes postrouting rules', extra: [] },
  ];
}

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
export function missingJumps(table: 'nat' | 'filter', saved: SavedTable, jumps: JumpRule[] = jumpRules()): JumpRule[] {
  return jumps.filter((j) => j.table === table && !saved.rules.some((r) =>
    r.startsWith(`-A ${j.from} `) && r.endsWith(` -j ${j.to}`) && r.includes(`--comment "${j.comment}"`)
    && j.extra.every((x) => r.includes(x))));
}

/** Upstream's probability text: 1/n with ten decimals (iptables-save shows it back with eleven). */
export const probability = (n: number): string => (1 / n).toFixed(10);

const proto = (p: ProxyServicePort): string[] => ['-m', p.protocol, '-p', p.protocol];
const comment = (text: string): string[] => ['-m', 'comment', '--comment', `"${text}"`];

/**
 * One service port's share of a sync, a pure function of the port (and the options): its lines in the
 * fixed chains and its own nat chains with their rules. The proxier keeps these between syncs (SyncInput.memo),
 * so a partial sync rebuilds only the changed services' rules instead of all of them.
 */
export interface PortRules {
  /** Rules in the fixed nat chains (KUBE-SERVICES, KUBE-NODEPORTS). */
  natFixed: string[];
  /** Rules in the fixed filter chains (REJECTs while the port has no endpoints). */
  filterFixed: string[];
  /** The port's own nat chains, in declaration order (none without endpoints). */
  chains: string[];
  /** The rules of those chains. */
  chainRules: string[];
}

function portRules(p: ProxyServicePort, opts: RuleOptions): PortRules {
  const c = opts.chains ?? chainSet();
  const out: PortRules = { natFixed: [], filterFixed: [], chains: [], chainRules: [] };
  const svc = c.serviceChain(p.name, p.protocol);
  const ext = c.externalChain(p.name, p.protocol);
  const has = p.endpoints.length > 0;
  const external = p.nodePort !== 0 || p.loadBalancerIPs.length > 0;
  const dst = ['-d', p.clusterIP, '--dport', String(p.port)];
  const noEndpoints = comment(`${p.name} has no endpoints`);
  const line = (to: string[], ...parts: string[]) => to.push(parts.join(' '));

  if (has) line(out.natFixed, '-A', c.services, ...comment(`${p.name} cluster IP`), ...proto(p), ...dst, '-j', svc);
  else line(out.filterFixed, '-A', c.services, ...noEndpoints, ...proto(p), ...dst, '-j REJECT');
  for (const lb of p.loadBalancerIPs) {
    const lbDst = ['-d', lb, '--dport', String(p.port)];
    if (has) line(out.natFixed, '-A', c.services, ...comment(`${p.name} loadbalancer IP`), ...proto(p), ...lbDst, '-j', ext);
    else line(out.filterFixed, '-A', c.externalServices, ...noEndpoints, ...proto(p), ...lbDst, '-j REJECT');
  }
  if (p.nodePort) {
    if (has) line(out.natFixed, '-A', c.nodePorts, ...comment(p.name), ...proto(p), '--dport', String(p.nodePort), '-j', ext);
    else line(out.filterFixed, '-A', c.externalServices, ...noEndpoints, '-m addrtype --dst-type LOCAL', ...proto(p), '--dport', String(p.nodePort), '-j REJECT');
  }
  if (!has) return out;

  const rules = out.chainRules;
  const epChains = p.endpoints.map((e) => ({ e, chain: c.endpointChain(p.name, p.protocol, `${e.ip}:${e.port}`) }));
  out.chains.push(svc);
  if (opts.masqueradeAll) line(rules, '-A', svc, ...comment(`${p.name} cluster IP`), ...proto(p), ...dst, '-j', c.markMasq);
  else if (opts.clusterCIDR) line(rules, '-A', svc, ...comment(`${p.name} cluster IP`), ...proto(p), ...dst, '!', '-s', opts.clusterCIDR, '-j', c.markMasq);
  if (external) {
    out.chains.push(ext);
    line(rules, '-A', ext, ...comment(`masquerade traffic for ${p.name} external destinations`), '-j', c.markMasq);
    line(rules, '-A', ext, '-j', svc);
  }
  if (p.affinitySeconds !== undefined) {
    for (const { e, chain } of epChains) {
      line(rules, '-A', svc, ...comment(`${p.name} -> ${e.ip}:${e.port}`),
        '-m recent --name', chain, '--rcheck --seconds', String(p.affinitySeconds), '--reap -j', chain);
    }
  }
  epChains.forEach(({ e, chain }, i) => {
    const left = epChains.length - i;
    const spread = left > 1 ? ['-m statistic --mode random --probability', probability(left)] : [];
    line(rules, '-A', svc, ...comment(`${p.name} -> ${e.ip}:${e.port}`), ...spread, '-j', chain);
  });
  for (const { e, chain } of epChains) {
    out.chains.push(chain);
    // Hairpin: a backend reaching its own service must see the reply come back through the node.
    line(rules, '-A', chain, ...comment(p.name), '-s', e.ip, '-j', c.markMasq);
    const affinity = p.affinitySeconds !== undefined ? ['-m recent --name', chain, '--set'] : [];
    line(rules, '-A', chain, ...comment(p.name), ...affinity, ...proto(p), '-j DNAT --to-destination', `${e.ip}:${e.port}`);
  }
  return out;
}

export function buildSync(input: SyncInput, opts: RuleOptions): SyncPlan {
  const mark = opts.masqueradeMark ?? MASQUERADE_MARK;
  const c = opts.chains ?? chainSet();
  const filterChainLines = filterChains(c).map((n) => `:${n} - [0:0]`);
  const filterRules: string[] = [];
  const natChainLines = natChains(c).map((n) => `:${n} - [0:0]`);
  const natRules: string[] = [];
  const line = (out: string[], ...parts: string[]) => out.push(parts.join(' '));
  const active = new Set<string>();

  // Jumps go right after the fixed chains' declarations: with every command on a built-in chain first,
  // the runner can have iptables-nft read the whole table for the rest (IptablesRunner.restore).
  const jumps = { nat: [] as string[], filter: [] as string[] };
  for (const j of input.missingJumps ?? []) line(jumps[j.table], '-I', j.from, '1', ...jumpRuleArgs(j));

  line(natRules, '-A', c.postrouting, '-m mark ! --mark', `${mark}/${mark}`, '-j RETURN');
  line(natRules, '-A', c.postrouting, '-j MARK --xor-mark', mark);
  line(natRules, '-A', c.postrouting, ...comment('kubernetes service traffic requiring SNAT'), '-j MASQUERADE --random-fully');
  line(natRules, '-A', c.markMasq, '-j MARK --or-mark', mark);

  for (const p of input.ports) {
    let r = input.memo?.get(p);
    if (!r) {
      r = portRules(p, opts);
      input.memo?.set(p, r);
    }
    natRules.push(...r.natFixed);
    filterRules.push(...r.filterFixed);
    for (const chain of r.chains) active.add(chain);
    if (input.changed && !input.changed.has(p.service)) continue;
    for (const chain of r.chains) natChainLines.push(`:${chain} - [0:0]`);
    natRules.push(...r.chainRules);
  }

  const deleted: string[] = [];
  for (const chain of input.existingChains) {
    if (active.has(chain) || !c.isServiceChain(chain)) continue;
    natChainLines.push(`:${chain} - [0:0]`);
    natRules.push(`-X ${chain}`);
    deleted.push(chain);
  }

  // Without route_localnet (a host-wide setting we leave alone) node ports cannot be DNATed from 127/8.
  line(natRules, '-A', c.services, ...comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
    '-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j', c.nodePorts);

  line(filterRules, '-A', c.forward, ...comment('kubernetes forwarding rules'), '-m mark --mark', `${mark}/${mark}`, '-j ACCEPT');
  // Upstream accepts every established forwarded connection here; we scope it to service traffic.
  line(filterRules, '-A', c.forward, ...comment('kubernetes forwarding conntrack rule'),
    '-m conntrack --ctstate RELATED,ESTABLISHED --ctorigdst', opts.serviceCIDR, '-j ACCEPT');
  line(filterRules, '-A', c.forward, ...comment('kubernetes forwarding conntrack rule'),
    '-m conntrack --ctstate RELATED,ESTABLISHED --ctorigdstport', opts.nodePortRange.replace('-', ':'), '-j ACCEPT');

  const fixedChains = new Map<string, string>();
  const table = (name: 'filter' | 'nat', fixed: readonly string[], chains: string[], rules: string[]): string[] => {
    const byChain = new Map(fixed.map((n) => [n, [] as string[]]));
    for (const r of rules) byChain.get(r.split(' ', 2)[1] ?? '')?.push(r);
    const unchanged = new Set<string>();
    for (const [chain, lines] of byChain) {
      const text = lines.join('\n');
      fixedChains.set(`${name}/${chain}`, text);
      if (input.changed && input.written?.get(`${name}/${chain}`) === text) unchanged.add(chain);
    }
    const declared = chains.filter((l) => !unchanged.has(l.slice(1, l.indexOf(' '))));
    const fixedCount = declared.findIndex((l) => !fixed.includes(l.slice(1, l.indexOf(' '))));
    const [fixedDecl, ownDecl] = fixedCount < 0 ? [declared, []] : [declared.slice(0, fixedCount), declared.slice(fixedCount)];
    return [`*${name}`, ...fixedDecl, ...jumps[name], ...ownDecl,
      ...rules.filter((r) => !r.startsWith('-A ') || !unchanged.has(r.split(' ', 2)[1] ?? '')), 'COMMIT'];
  };
  const restore = [...table('filter', filterChains(c), filterChainLines, filterRules), ...table('nat', natChains(c), natChainLines, natRules), ''].join('\n');
  return { restore, activeChains: active, deletedChains: deleted, fixedChains };
}

/** iptables-restore input that removes everything the proxy installed (upstream's --cleanup). */
export function buildCleanup(nat: SavedTable, filter: SavedTable, chains: ChainSet = chainSet()): string {
  const all = jumpRules(chains);
  const section = (table: 'nat' | 'filter', saved: SavedTable, fixed: readonly string[]): string[] => {
    const ours = [...saved.chains].filter((c) => fixed.includes(c) || (table === 'nat' && chains.isServiceChain(c)));
    const jumps = saved.rules.filter((r) => all.some((j) => j.table === table && r.startsWith(`-A ${j.from} `)
      && r.endsWith(` -j ${j.to}`) && r.includes(`--comment "${j.comment}"`)));
    return [
      `*${table}`,
      ...ours.map((c) => `:${c} - [0:0]`),
      ...jumps.map((r) => `-D${r.slice(2)}`),
      ...ours.map((c) => `-X ${c}`),
      'COMMIT',
    ];
  };
  return [...section('filter', filter, filterChains(chains)), ...section('nat', nat, natChains(chains)), ''].join('\n');
}
