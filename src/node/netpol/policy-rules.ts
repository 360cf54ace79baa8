// NetworkPolicy (networking.k8s.io/v1) as iptables filter rules, a pure function of the policies, pods and
// namespaces: a pod selected by a policy of a type is isolated in that direction, and its chain RETURNs
// (lets pass) what the union of those policies' rules allows and REJECTs the rest; replies of established
// connections pass before any pod chain. Ports are matched after the proxy's DNAT, on the pod's own port.
import type { Namespace, Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1';
import { fromLabelSelector, type LabelSelector } from '../../registry/label-selector';
import { NETPOL_ALLOW_MARK, type NetpolChains } from './netpol-chains';

/**
 * The cluster DNS Service when a node process (not a pod) serves it: peers select it as a pod of its
 * namespace with these labels (upstream's CoreDNS pods carry k8s-app=kube-dns) and its Service ports; it
 * is matched by the address and port the pod sent to (the ClusterIP, before the proxy's DNAT).
 */
export interface DnsPeer {
  namespace: string;
  labels: Record<string, string>;
  clusterIP: string;
  ports: { name?: string; port: number; protocol: string }[];
}

export interface PolicyWorld {
  policies: NetworkPolicy[];
  pods: Pod[];
  namespaces: Namespace[];
  dns?: DnsPeer;
}

/** Chain name to its rules (each the arguments after `-A <chain>`), the dispatch chain first. */
export type NetpolRules = Map<string, string[]>;

const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Something a peer can select: a pod with an IP, or the node-process DNS. */
interface Endpoint {
  namespace: string;
  labels: Record<string, string>;
  ports: { name?: string; port: number; protocol: string }[];
  /** Matches traffic to this endpoint on a protocol and port range (all ports when undefined). */
  to(protocol: string | undefined, range: string | undefined): string[];
  /** Matches traffic from it, when it can be a source. */
  from?: string[];
}

interface PortMatch { protocol?: string; range?: string }
const ALL_PORTS: PortMatch = {};

const portArgs = (p: PortMatch): string[] => {
  if (!p.protocol) return [];
  const proto = p.protocol.toLowerCase();
  return ['-p', proto, ...(p.range ? ['-m', proto, '--dport', p.range] : [])];
};

const podKey = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;

/** Pods that take part in pod networking now: an IP, not on the host's network, not finished. */
function networkedPods(pods: Pod[]): Pod[] {
  return pods.filter((p) => p.status?.podIP && !p.spec?.hostNetwork && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed');
}

function podEndpoint(p: Pod): Endpoint {
  const ip = `${p.status!.podIP}/32`;
  return {
    namespace: p.metadata?.namespace ?? '',
    labels: p.metadata?.labels ?? {},
    ports: (p.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((cp) => ({ name: cp.name, port: cp.containerPort, protocol: cp.protocol ?? 'TCP' }))),
    to: (protocol, range) => ['-d', ip, ...portArgs({ protocol, range })],
    from: ['-s', ip],
  };
}

function dnsEndpoint(d: DnsPeer): Endpoint {
  const ip = `${d.clusterIP}/32`;
  return {
    namespace: d.namespace, labels: d.labels, ports: d.ports,
    to: (protocol, range) => [...(protocol ? ['-p', protocol.toLowerCase()] : []),
      '-m', 'conntrack', '--ctorigdst', ip, ...(range ? ['--ctorigdstport', range] : [])],
  };
}

function policyTypes(np: NetworkPolicy): string[] {
  const t = np.spec?.policyTypes ?? [];
  if (t.length) return t;
  return (np.spec?.egress ?? []).length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Resolves a policy port against a destination's ports: numbered ports as they are, named ones by name and protocol. */
function resolvePort(p: NetworkPolicyPort, dest: Endpoint | undefined): PortMatch[] {
  const protocol = p.protocol ?? 'TCP';
  if (p.port === undefined) return [{ protocol }];
  if (typeof p.port === 'number') return [{ protocol, range: p.endPort ? `${p.port}:${p.endPort}` : String(p.port) }];
  if (!dest) return [];
  return dest.ports.filter((cp) => cp.name === p.port && cp.protocol === protocol).map((cp) => ({ protocol, range: String(cp.port) }));
}

const isNamed = (p: NetworkPolicyPort) => typeof p.port === 'string';

class Selection {
  private readonly nsLabels = new Map<string, Record<string, string>>();
  constructor(namespaces: Namespace[], readonly endpoints: Endpoint[]) {
    for (const n of namespaces) {
      const name = n.metadata?.name ?? '';
      this.nsLabels.set(name, { ...n.metadata?.labels, [NS_NAME_LABEL]: name });
    }
  }

  /** The endpoints a pod/namespace peer selects, for a policy in `namespace`. */
  select(peer: NetworkPolicyPeer, namespace: string): Endpoint[] {
    const pods = peer.podSelector ? fromLabelSelector(peer.podSelector) : null;
    const nss = peer.namespaceSelector ? fromLabelSelector(peer.namespaceSelector) : null;
    return this.endpoints.filter((e) => {
      if (nss) { if (!nss.matches(this.nsLabels.get(e.namespace) ?? { [NS_NAME_LABEL]: e.namespace })) return false; }
      else if (e.namespace !== namespace) return false;
      return !pods || pods.matches(e.labels);
    });
  }
}

interface RuleSource { policy: NetworkPolicy; peers?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }

export function computeNetpolRules(world: PolicyWorld, chains: NetpolChains): NetpolRules {
  const pods = networkedPods(world.pods);
  const endpoints = [...pods.map(podEndpoint), ...(world.dns ? [dnsEndpoint(world.dns)] : [])];
  const selection = new Selection(world.namespaces, endpoints);
  const out: NetpolRules = new Map([[chains.dispatch, [
    '-m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "replies of established connections" -j RETURN',
  ]]]);
  const ingressJumps: string[] = [];
  const selectors = new Map<NetworkPolicy, LabelSelector | null>(world.policies.map((np) => [np, fromLabelSelector(np.spec?.podSelector ?? {})]));
  const sorted = [...pods].sort((a, b) => podKey(a).localeCompare(podKey(b)));

  for (const pod of sorted) {
    const ns = pod.metadata?.namespace ?? '';
    const selecting = world.policies.filter((np) => np.metadata?.namespace === ns && selectors.get(np)?.matches(pod.metadata?.labels));
    const self = podEndpoint(pod);
    const ip = `${pod.status!.podIP}/32`;
    for (const dir of ['Ingress', 'Egress'] as const) {
      const isolating = selecting.filter((np) => policyTypes(np).includes(dir));
      if (isolating.length === 0) continue;
      const chain = dir === 'Ingress' ? chains.ingress(podKey(pod)) : chains.egress(podKey(pod));
      const rules: string[] = [];
      let usesMark = false;
      const sources: RuleSource[] = isolating.flatMap((policy) => dir === 'Ingress'
        ? (policy.spec?.ingress ?? []).map((r) => ({ policy, peers: r.from, ports: r.ports }))
        : (policy.spec?.egress ?? []).map((r) => ({ policy, peers: r.to, ports: r.ports })));
      for (const src of sources) {
        const comment = ['-m', 'comment', '--comment', `"${src.policy.metadata?.namespace}/${src.policy.metadata?.name}"`];
        const allow = (match: string[]) => rules.push([...match, ...comment, '-j', 'RETURN'].join(' '));
        const allowBlock = (cidr: string, except: string[], portMatch: string[]) => {
          const flag = dir === 'Ingress' ? '-s' : '-d';
          if (except.length === 0) { allow([flag, cidr, ...portMatch]); return; }
          usesMark = true;
          const sub = chains.except(`${chain}/${cidr}/${except.join(',')}`);
          if (!out.has(sub)) {
            out.set(sub, [...except.map((e) => `${flag} ${e} -j RETURN`), `-j MARK --set-xmark ${NETPOL_ALLOW_MARK}/${NETPOL_ALLOW_MARK}`]);
          }
          rules.push([flag, cidr, ...portMatch, ...comment, '-j', sub].join(' '));
        };
        const ports = src.ports ?? [];
        const peers = src.peers ?? [];
        if (dir === 'Ingress') {
          // Named ports are this pod's own container ports.
          const matches = ports.length ? ports.flatMap((p) => resolvePort(p, self)) : [ALL_PORTS];
          for (const m of matches) {
            if (peers.length === 0) { allow(portArgs(m)); continue; }
            for (const peer of peers) {
              if (peer.ipBlock) { allowBlock(peer.ipBlock.cidr, peer.ipBlock.except ?? [], portArgs(m)); continue; }
              for (const e of selection.select(peer, ns)) if (e.from) allow([...e.from, ...portArgs(m)]);
            }
          }
          continue;
        }
        // Egress: named ports are the destination's, so they resolve per selected endpoint.
        const numbered = ports.length ? ports.filter((p) => !isNamed(p)).flatMap((p) => resolvePort(p, undefined)) : [ALL_PORTS];
        const named = ports.filter(isNamed);
        const toEndpoint = (e: Endpoint) => {
          for (const m of numbered) allow(e.to(m.protocol, m.range));
          for (const m of named.flatMap((p) => resolvePort(p, e))) allow(e.to(m.protocol, m.range));
        };
        if (peers.length === 0) {
          // Every destination: any address on the numbered ports, and each endpoint by its named ports.
          for (const m of numbered) allow(portArgs(m));
          for (const e of endpoints) {
            if (e.from) { for (const m of named.flatMap((p) => resolvePort(p, e))) allow(e.to(m.protocol, m.range)); }
            else toEndpoint(e);
          }
          continue;
        }
        for (const peer of peers) {
          if (peer.ipBlock) { for (const m of numbered) allowBlock(peer.ipBlock.cidr, peer.ipBlock.except ?? [], portArgs(m)); continue; }
          for (const e of selection.select(peer, ns)) toEndpoint(e);
        }
      }
      // The mark is cleared first and set only by an except chain whose block let the address through.
      out.set(chain, [
        ...(usesMark ? [`-j MARK --set-xmark 0x0/${NETPOL_ALLOW_MARK}`] : []),
        ...dedupe(rules),
        ...(usesMark ? [`-m mark --mark ${NETPOL_ALLOW_MARK}/${NETPOL_ALLOW_MARK} -m comment --comment "in an ipBlock, outside its exceptions" -j RETURN`] : []),
        `-m comment --comment "${podKey(pod)} ${dir.toLowerCase()} isolated" -j REJECT`,
      ]);
      if (dir === 'Egress') out.get(chains.dispatch)!.push(`-s ${ip} -j ${chain}`);
      else ingressJumps.push(`-d ${ip} -j ${chain}`);
    }
  }
  // Egress first: traffic between two isolated pods must pass the sender's egress and the receiver's ingress.
  out.get(chains.dispatch)!.push(...ingressJumps);
  return out;
}

/** Keeps the first of identical rules (overlapping peers or policies), so each appears once. */
function dedupe(rules: string[]): string[] {
  return [...new Set(rules)];
}
