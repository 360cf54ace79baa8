// The NetworkPolicy rule computation, judged by walking packets through the chains it builds (a small
// interpreter for the iptables matches it uses): selectors, namespaceSelector, ipBlock except, named ports,
// endPort, protocols, egress, the node-process DNS peer; plus the restore and cleanup inputs.
import type { Namespace, Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { netpolChains } from '../../src/node/netpol/netpol-chains';
import { buildNetpolCleanup, buildNetpolRestore, jumpsToPlace } from '../../src/node/netpol/netpol-restore';
import { computeNetpolRules, type DnsPeer, type NetpolRules, type PolicyWorld } from '../../src/node/netpol/policy-rules';
import { parseSave } from '../../src/node/proxy/iptables-rules';

const chains = netpolChains('KT1');

interface Packet { src: string; dst: string; proto: string; dport: number; origDst?: string; origDport?: number; established?: boolean }

const ipNum = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits ?? 32));
  return Math.floor(ipNum(ip) / size) === Math.floor(ipNum(base!) / size);
}
const inRange = (port: number, range: string) => {
  const [a, b] = range.split(':').map(Number);
  return port >= a! && port <= (b ?? a!);
};

/** Runs a packet through the dispatch chain: 'pass' (RETURN from it, or its end) or 'reject'. */
function verdict(rules: NetpolRules, pkt: Packet): 'pass' | 'reject' {
  let mark = 0;
  const walk = (chain: string, depth: number): 'return' | 'reject' => {
    if (depth > 5) throw new Error('chain loop');
    for (const rule of rules.get(chain) ?? []) {
      const a = rule.match(/"[^"]*"|\S+/g)!;
      let ok = true;
      for (let i = 0; i < a.length && ok; i++) {
        const v = a[i + 1] ?? '';
        switch (a[i]) {
          case '-s': ok = inCidr(pkt.src, v); break;
          case '-d': ok = inCidr(pkt.dst, v); break;
          case '-p': ok = pkt.proto === v; break;
          case '--dport': ok = inRange(pkt.dport, v); break;
          case '--ctorigdst': ok = inCidr(pkt.origDst ?? pkt.dst, v); break;
          case '--ctorigdstport': ok = inRange(pkt.origDport ?? pkt.dport, v); break;
          case '--ctstate': ok = !!pkt.established; break;
          case '--mark': ok = (mark & Number(v.split('/')[0])) !== 0; break;
          default: continue;
        }
        i++;
      }
      if (!ok) continue;
      const target = a[a.indexOf('-j') + 1]!;
      if (target === 'RETURN') return 'return';
      if (target === 'REJECT') return 'reject';
      if (target === 'MARK') { const [val, m] = a[a.indexOf('--set-xmark') + 1]!.split('/').map(Number); mark = (mark & ~m!) | val!; continue; }
      if (walk(target, depth + 1) === 'reject') return 'reject';
    }
    return 'return';
  };
  return walk(chains.dispatch, 0) === 'reject' ? 'reject' : 'pass';
}

const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ metadata: { name, labels } });
const pod = (namespace: string, name: string, ip: string, labels: Record<string, string> = {},
  ports: { name: string; containerPort: number; protocol?: string }[] = []): Pod => ({
  metadata: { namespace, name, labels },
  spec: { containers: [{ name: 'c', ports }] },
  status: { phase: 'Running', podIP: ip },
});
const policy = (namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { namespace, name }, spec });

const namespaces = [ns('web', { team: 'a' }), ns('tools', { team: 'a' }), ns('other', { team: 'b' }), ns('kube-system')];
const server = pod('web', 'server', '10.244.0.10', { app: 'server' }, [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }]);
const sameNsAllowed = pod('web', 'allowed', '10.244.0.11', { access: 'true' });
const sameNsOther = pod('web', 'other', '10.244.0.12', { role: 'client' });
const toolsAllowed = pod('tools', 'allowed', '10.244.0.21', { access: 'true' });
const toolsPlain = pod('tools', 'plain', '10.244.0.22');
const otherNsAllowed = pod('other', 'allowed', '10.244.0.31', { access: 'true' });
const pods = [server, sameNsAllowed, sameNsOther, toolsAllowed, toolsPlain, otherNsAllowed];
const dns: DnsPeer = {
  namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, clusterIP: '10.96.0.10',
  ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
};

const world = (...policies: NetworkPolicy[]): PolicyWorld => ({ policies, pods, namespaces, dns });
const ipOf = (p: Pod) => p.status!.podIP!;
const tcp = (from: Pod | string, to: Pod | string, dport = 8080): Packet =>
  ({ src: typeof from === 'string' ? from : ipOf(from), dst: typeof to === 'string' ? to : ipOf(to), proto: 'tcp', dport });
/** A DNS query to the kube-dns ClusterIP, which the proxy has DNATed to the node's DNS process. */
const dnsQuery = (from: Pod, proto = 'udp'): Packet => ({ src: ipOf(from), dst: '192.0.2.2', proto, dport: 10053, origDst: '10.96.0.10', origDport: 53 });

const toServer = (from: Pod | string, rules: NetpolRules, dport = 8080) => verdict(rules, tcp(from, server, dport));
const serverSelector = { matchLabels: { app: 'server' } };

describe('ingress', () => {
  it('without policies nothing is isolated and only the dispatch chain exists', () => {
    const rules = computeNetpolRules(world(), chains);
    expect([...rules.keys()]).toEqual([chains.dispatch]);
    expect(toServer(sameNsOther, rules)).toBe('pass');
  });

  it('a policy with no ingress rules denies every new connection to the pods it selects, not replies', () => {
    const rules = computeNetpolRules(world(policy('web', 'deny', { podSelector: serverSelector, policyTypes: ['Ingress'] })), chains);
    for (const p of [sameNsAllowed, sameNsOther, toolsAllowed, '192.0.2.50']) expect(toServer(p, rules)).toBe('reject');
    expect(verdict(rules, { ...tcp(sameNsOther, server), established: true })).toBe('pass');
    // Unselected pods stay open, and the isolated pod's own egress is untouched.
    expect(verdict(rules, tcp(sameNsAllowed, sameNsOther))).toBe('pass');
    expect(verdict(rules, tcp(server, toolsPlain))).toBe('pass');
  });

  it('podSelector alone selects pods of the policy\'s namespace; the union of policies applies', () => {
    const rules = computeNetpolRules(world(
      policy('web', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      policy('web', 'allow', { podSelector: serverSelector, ingress: [{ from: [{ podSelector: { matchLabels: { access: 'true' } } }] }] }),
    ), chains);
    expect(toServer(sameNsAllowed, rules)).toBe('pass');
    expect(toServer(sameNsOther, rules)).toBe('reject');
    expect(toServer(toolsAllowed, rules)).toBe('reject');
    // The empty podSelector isolates every pod of the namespace, and nothing allows traffic to this one.
    expect(verdict(rules, tcp(server, sameNsOther))).toBe('reject');
  });

  it('namespaceSelector alone selects every pod of those namespaces; combined with podSelector, both must match', () => {
    const nsOnly = computeNetpolRules(world(policy('web', 'ns', {
      podSelector: serverSelector, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }],
    })), chains);
    expect(toServer(toolsPlain, nsOnly)).toBe('pass');
    expect(toServer(sameNsOther, nsOnly)).toBe('pass');
    expect(toServer(otherNsAllowed, nsOnly)).toBe('reject');

    const both = computeNetpolRules(world(policy('web', 'both', {
      podSelector: serverSelector,
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { access: 'true' } } }] }],
    })), chains);
    expect(toServer(toolsAllowed, both)).toBe('pass');
    expect(toServer(sameNsAllowed, both)).toBe('pass');
    expect(toServer(toolsPlain, both)).toBe('reject');
    expect(toServer(otherNsAllowed, both)).toBe('reject');

    const byName = computeNetpolRules(world(policy('web', 'name', {
      podSelector: serverSelector,
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['other'] }] } }] }],
    })), chains);
    expect(toServer(otherNsAllowed, byName)).toBe('pass');
    expect(toServer(toolsAllowed, byName)).toBe('reject');
  });

  it('ipBlock admits its CIDR except the excepted ranges', () => {
    const rules = computeNetpolRules(world(policy('web', 'block', {
      podSelector: serverSelector,
      ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.128/25', '192.0.2.7/32'] } }] }],
    })), chains);
    expect(toServer('192.0.2.5', rules)).toBe('pass');
    expect(toServer('192.0.2.7', rules)).toBe('reject');
    expect(toServer('192.0.2.200', rules)).toBe('reject');
    expect(toServer('198.51.100.1', rules)).toBe('reject');
  });

  it('ports: numbered, named (the pod\'s own container port), endPort ranges and protocols', () => {
    const from = [{ podSelector: {} }];
    const numbered = computeNetpolRules(world(policy('web', 'p', { podSelector: serverSelector, ingress: [{ from, ports: [{ protocol: 'TCP', port: 8080 }] }] })), chains);
    expect(toServer(sameNsOther, numbered, 8080)).toBe('pass');
    expect(toServer(sameNsOther, numbered, 8081)).toBe('reject');
    expect(verdict(numbered, { ...tcp(sameNsOther, server), proto: 'udp' })).toBe('reject');

    const named = computeNetpolRules(world(policy('web', 'p', { podSelector: serverSelector, ingress: [{ from, ports: [{ port: 'http' }, { protocol: 'UDP', port: 'dns' }, { port: 'nope' }] }] })), chains);
    expect(toServer(sameNsOther, named, 8080)).toBe('pass');
    expect(verdict(named, { ...tcp(sameNsOther, server, 5353), proto: 'udp' })).toBe('pass');
    expect(toServer(sameNsOther, named, 5353)).toBe('reject');

    const range = computeNetpolRules(world(policy('web', 'p', { podSelector: serverSelector, ingress: [{ ports: [{ protocol: 'SCTP', port: 9000, endPort: 9010 }] }] })), chains);
    expect(verdict(range, { ...tcp(toolsPlain, server, 9005), proto: 'sctp' })).toBe('pass');
    expect(verdict(range, { ...tcp(toolsPlain, server, 9011), proto: 'sctp' })).toBe('reject');
    expect(toServer(toolsPlain, range, 9005)).toBe('reject');
  });
});

describe('egress', () => {
  const clientSelector = { matchLabels: { role: 'client' } };

  it('default-deny egress blocks the pod\'s connections, including DNS, and no ingress of it', () => {
    const rules = computeNetpolRules(world(policy('web', 'deny', { podSelector: clientSelector, policyTypes: ['Egress'] })), chains);
    expect(toServer(sameNsOther, rules)).toBe('reject');
    expect(verdict(rules, tcp(sameNsOther, '198.51.100.1', 443))).toBe('reject');
    expect(verdict(rules, dnsQuery(sameNsOther))).toBe('reject');
    expect(verdict(rules, tcp(server, sameNsOther))).toBe('pass');
    expect(verdict(rules, dnsQuery(server))).toBe('pass');
  });

  it('the node-process DNS is a kube-dns pod in kube-system, matched on the ClusterIP and port the pod sent to', () => {
    const rules = computeNetpolRules(world(policy('web', 'dns', {
      podSelector: clientSelector, policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }],
      }],
    })), chains);
    expect(verdict(rules, dnsQuery(sameNsOther))).toBe('pass');
    expect(verdict(rules, dnsQuery(sameNsOther, 'tcp'))).toBe('reject');
    expect(toServer(sameNsOther, rules)).toBe('reject');

    // A rule with ports and no peers admits DNS too (the query's port before DNAT is 53), and so does the named port.
    const anyPeer = computeNetpolRules(world(policy('web', 'any', { podSelector: clientSelector, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] })), chains);
    expect(verdict(anyPeer, dnsQuery(sameNsOther))).toBe('pass');
    const byName = computeNetpolRules(world(policy('web', 'named', { podSelector: clientSelector, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 'dns-tcp' }] }] })), chains);
    expect(verdict(byName, dnsQuery(sameNsOther, 'tcp'))).toBe('pass');
    expect(verdict(byName, dnsQuery(sameNsOther, 'udp'))).toBe('reject');
  });

  it('peers, named destination ports and ipBlock except', () => {
    const rules = computeNetpolRules(world(policy('web', 'out', {
      podSelector: clientSelector, policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: serverSelector }], ports: [{ port: 'http' }] },
        { to: [{ ipBlock: { cidr: '198.51.100.0/24', except: ['198.51.100.64/26'] } }], ports: [{ port: 443 }] },
      ],
    })), chains);
    expect(toServer(sameNsOther, rules, 8080)).toBe('pass');
    expect(toServer(sameNsOther, rules, 8081)).toBe('reject');
    expect(verdict(rules, tcp(sameNsOther, toolsPlain, 8080))).toBe('reject');
    expect(verdict(rules, tcp(sameNsOther, '198.51.100.1', 443))).toBe('pass');
    expect(verdict(rules, tcp(sameNsOther, '198.51.100.65', 443))).toBe('reject');
    expect(verdict(rules, tcp(sameNsOther, '198.51.100.1', 80))).toBe('reject');
  });

  it('traffic between two isolated pods needs the sender\'s egress and the receiver\'s ingress', () => {
    const egressOnly = policy('web', 'out', { podSelector: clientSelector, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: serverSelector }] }] });
    const denyIn = policy('web', 'in', { podSelector: serverSelector, policyTypes: ['Ingress'] });
    const allowIn = policy('web', 'allow', { podSelector: serverSelector, ingress: [{ from: [{ podSelector: clientSelector }] }] });
    expect(toServer(sameNsOther, computeNetpolRules(world(egressOnly), chains))).toBe('pass');
    expect(toServer(sameNsOther, computeNetpolRules(world(egressOnly, denyIn), chains))).toBe('reject');
    expect(toServer(sameNsOther, computeNetpolRules(world(egressOnly, denyIn, allowIn), chains))).toBe('pass');
  });

  it('pods without an IP, on the host network or finished are neither isolated nor peers', () => {
    const pending: Pod = { ...sameNsOther, status: { phase: 'Pending' } };
    const done: Pod = { ...sameNsAllowed, status: { phase: 'Succeeded', podIP: '10.244.0.11' } };
    const rules = computeNetpolRules({
      policies: [policy('web', 'in', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })],
      pods: [server, pending, done], namespaces,
    }, chains);
    expect([...rules.keys()]).toEqual([chains.dispatch, chains.ingress('web/server')]);
    expect(toServer('10.244.0.11', rules)).toBe('reject');
  });
});

describe('iptables-restore input', () => {
  it('rewrites every chain, deletes stale ones after, and adds missing jumps first in FORWARD and INPUT', () => {
    const rules = computeNetpolRules(world(policy('web', 'deny', { podSelector: serverSelector })), chains);
    const stale = chains.ingress('web/gone');
    const saved = parseSave(`*filter\n:${chains.dispatch} - [0:0]\n:${stale} - [0:0]\n-A INPUT -m comment --comment "kubernetes network policy" -j ${chains.dispatch}\n`);
    const text = buildNetpolRestore(rules, [chains.dispatch, stale], jumpsToPlace(saved, chains));
    const lines = text.split('\n');
    expect(lines[0]).toBe('*filter');
    expect(lines).toContain(`:${chains.ingress('web/server')} - [0:0]`);
    expect(lines.indexOf(`-X ${stale}`)).toBeGreaterThan(lines.indexOf(`:${stale} - [0:0]`));
    expect(lines.filter((l) => l.startsWith('-I '))).toEqual([`-I FORWARD 1 -m comment --comment "kubernetes network policy" -j ${chains.dispatch}`]);
    expect(lines.at(-2)).toBe('COMMIT');
  });

  it('moves a jump back to the top when another rule than a policy jump got ahead of it', () => {
    const jump = (c: string) => `-m comment --comment "kubernetes network policy" -j ${c}`;
    const saved = parseSave([
      `-A FORWARD ${jump(netpolChains('KT2').dispatch)}`, `-A FORWARD ${jump(chains.dispatch)}`,
      '-A INPUT -m comment --comment "kubernetes forwarding rules" -j KT3-FORWARD', `-A INPUT ${jump(chains.dispatch)}`,
    ].join('\n'));
    const place = jumpsToPlace(saved, chains);
    expect(place.map((p) => [p.jump.from, p.present])).toEqual([['INPUT', true]]);
    const lines = buildNetpolRestore(new Map([[chains.dispatch, []]]), [chains.dispatch], place).split('\n');
    expect(lines.filter((l) => / (FORWARD|INPUT) /.test(l))).toEqual([`-D INPUT ${jump(chains.dispatch)}`, `-I INPUT 1 ${jump(chains.dispatch)}`]);
  });

  it('cleanup removes only this prefix\'s jumps and chains', () => {
    const theirs = netpolChains('KT2');
    const saved = parseSave([
      `:${chains.dispatch} - [0:0]`, `:${chains.egress('a/b')} - [0:0]`, `:${theirs.dispatch} - [0:0]`, ':KT1-SERVICES - [0:0]',
      `-A FORWARD -m comment --comment "kubernetes network policy" -j ${chains.dispatch}`,
      `-A FORWARD -m comment --comment "kubernetes network policy" -j ${theirs.dispatch}`,
    ].join('\n'));
    const text = buildNetpolCleanup(saved, chains);
    expect(text).toContain(`-D FORWARD -m comment --comment "kubernetes network policy" -j ${chains.dispatch}`);
    expect(text).toContain(`-X ${chains.egress('a/b')}`);
    expect(text).not.toContain(theirs.dispatch);
    expect(text).not.toContain('KT1-SERVICES');
  });
});
