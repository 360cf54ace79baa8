// kube-proxy's iptables rule generation, a pure function: chain names, spreading probabilities,
// masquerading, affinity, node ports, load balancers, REJECTs, partial syncs and stale-chain deletion.
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { chainSet, endpointChain, externalChain, serviceChain } from '../../src/node/proxy/chain-names';
import { buildCleanup, buildSync, jumpRuleArgs, jumpRules, missingJumps, parseSave, probability, type PortRules, type RuleOptions } from '../../src/node/proxy/iptables-rules';
import { readWholeTables } from '../../src/node/proxy/iptables-runner';
import { loadBalancerStatusPatch } from '../../src/node/proxy/load-balancer-status';
import { proxyServicePorts, type ProxyServicePort } from '../../src/node/proxy/service-ports';

const opts: RuleOptions = { serviceCIDR: '10.96.0.0/12', nodePortRange: '30000-32767' };

function svc(name: string, spec: Service['spec'], status?: Service['status']): Service {
  return { metadata: { namespace: 'ns1', name }, spec: { clusterIP: '10.96.0.41', clusterIPs: ['10.96.0.41'], ...spec }, status };
}
function slice(svcName: string, ips: (string | { ip: string; ready?: boolean; serving?: boolean; terminating?: boolean })[], ports: EndpointSlice['ports']): EndpointSlice {
  return {
    addressType: 'IPv4', metadata: { namespace: 'ns1', name: `${svcName}-x`, labels: { 'kubernetes.io/service-name': svcName } }, ports,
    endpoints: ips.map((e) => typeof e === 'string' ? { addresses: [e] } : { addresses: [e.ip], conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating } }),
  };
}
const web = svc('svc1', { ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 'http' }] });
const webSlice = slice('svc1', ['10.180.0.3', '10.180.0.1', '10.180.0.2'], [{ name: 'p80', port: 8080, protocol: 'TCP' }]);
const lines = (text: string) => text.split('\n');
const nat = (text: string) => lines(text.slice(text.indexOf('*nat')));
const filter = (text: string) => lines(text.slice(0, text.indexOf('*nat')));

describe('chain names', () => {
  test('are upstream\'s: base32(sha256(portName + protocol [+ endpoint]))[:16]', () => {
    // The names upstream's own proxier tests expect for these inputs.
    expect(serviceChain('ns1/svc1:p80', 'tcp')).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
    expect(externalChain('ns2/svc2:p80', 'tcp')).toBe('KUBE-EXT-GNZBNJ2PO5MGZ6GT');
    expect(serviceChain('ns1/svc1:p80', 'udp')).not.toBe(serviceChain('ns1/svc1:p80', 'tcp'));
  });
});

describe('service ports from Services and EndpointSlices', () => {
  test('named target ports resolve through the slice port name; endpoints sorted; unnamed port name is ns/svc', () => {
    const [p] = proxyServicePorts({ service: web, slices: [webSlice] });
    expect(p).toMatchObject({ name: 'ns1/svc1:p80', protocol: 'tcp', clusterIP: '10.96.0.41', port: 80, nodePort: 0 });
    expect(p.endpoints.map((e) => `${e.ip}:${e.port}`)).toEqual(['10.180.0.1:8080', '10.180.0.2:8080', '10.180.0.3:8080']);
    const [u] = proxyServicePorts({ service: svc('plain', { ports: [{ port: 53, protocol: 'UDP' }] }), slices: [slice('plain', ['10.1.1.1'], [{ port: 5353, protocol: 'UDP' }])] });
    expect(u).toMatchObject({ name: 'ns1/plain', protocol: 'udp' });
    expect(u.endpoints).toEqual([{ ip: '10.1.1.1', port: 5353 }]);
  });

  test('not-ready endpoints are skipped; serving terminating ones are used only when none is ready', () => {
    const s = slice('svc1', [{ ip: '10.0.0.1', ready: false }, { ip: '10.0.0.2', ready: false, serving: true, terminating: true }], [{ name: 'p80', port: 80 }]);
    expect(proxyServicePorts({ service: web, slices: [s] })[0].endpoints).toEqual([{ ip: '10.0.0.2', port: 80 }]);
    const withReady = { ...s, endpoints: [...s.endpoints, { addresses: ['10.0.0.3'] }] };
    expect(proxyServicePorts({ service: web, slices: [withReady] })[0].endpoints).toEqual([{ ip: '10.0.0.3', port: 80 }]);
  });

  test('headless and ExternalName services get no rules', () => {
    expect(proxyServicePorts({ service: svc('h', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] }), slices: [] })).toEqual([]);
    expect(proxyServicePorts({ service: { metadata: { namespace: 'ns1', name: 'e' }, spec: { type: 'ExternalName', externalName: 'x.example.com' } }, slices: [] })).toEqual([]);
  });
});

describe('iptables-restore input', () => {
  test('probabilities are 1/n, 1/(n-1), ... with ten decimals', () => {
    expect([3, 2].map(probability)).toEqual(['0.3333333333', '0.5000000000']);
    expect(probability(10)).toBe('0.1000000000');
  });

  test('a ClusterIP service with three endpoints, exactly as upstream lays it out', () => {
    const ports = proxyServicePorts({ service: web, slices: [webSlice] });
    const { restore, activeChains } = buildSync({ ports, existingChains: [] }, { ...opts, clusterCIDR: '10.244.0.0/16' });
    const svcChain = 'KUBE-SVC-XPGD46QRK7WJZT7O';
    const sep = (ip: string) => endpointChain('ns1/svc1:p80', 'tcp', `${ip}:8080`);
    expect(nat(restore)).toEqual([
      '*nat',
      ':KUBE-SERVICES - [0:0]', ':KUBE-NODEPORTS - [0:0]', ':KUBE-POSTROUTING - [0:0]', ':KUBE-MARK-MASQ - [0:0]',
      `:${svcChain} - [0:0]`, `:${sep('10.180.0.1')} - [0:0]`, `:${sep('10.180.0.2')} - [0:0]`, `:${sep('10.180.0.3')} - [0:0]`,
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 10.96.0.41 --dport 80 -j ${svcChain}`,
      `-A ${svcChain} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 10.96.0.41 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`,
      `-A ${svcChain} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:8080" -m statistic --mode random --probability 0.3333333333 -j ${sep('10.180.0.1')}`,
      `-A ${svcChain} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep('10.180.0.2')}`,
      `-A ${svcChain} -m comment --comment "ns1/svc1:p80 -> 10.180.0.3:8080" -j ${sep('10.180.0.3')}`,
      `-A ${sep('10.180.0.1')} -m comment --comment "ns1/svc1:p80" -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${sep('10.180.0.1')} -m comment --comment "ns1/svc1:p80" -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:8080`,
      `-A ${sep('10.180.0.2')} -m comment --comment "ns1/svc1:p80" -s 10.180.0.2 -j KUBE-MARK-MASQ`,
      `-A ${sep('10.180.0.2')} -m comment --comment "ns1/svc1:p80" -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:8080`,
      `-A ${sep('10.180.0.3')} -m comment --comment "ns1/svc1:p80" -s 10.180.0.3 -j KUBE-MARK-MASQ`,
      `-A ${sep('10.180.0.3')} -m comment --comment "ns1/svc1:p80" -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:8080`,
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS',
      'COMMIT', '',
    ]);
    expect([...activeChains].sort()).toEqual([svcChain, sep('10.180.0.1'), sep('10.180.0.2'), sep('10.180.0.3')].sort());
    expect(filter(restore)).toEqual([
      '*filter',
      ':KUBE-SERVICES - [0:0]', ':KUBE-EXTERNAL-SERVICES - [0:0]', ':KUBE-FORWARD - [0:0]', ':KUBE-NODEPORTS - [0:0]',
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED --ctorigdst 10.96.0.0/12 -j ACCEPT',
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED --ctorigdstport 30000:32767 -j ACCEPT',
      'COMMIT', '',
    ]);
  });

  test('one endpoint: no statistic match; no cluster CIDR: no masquerade rule; --masquerade-all marks everything', () => {
    const one = proxyServicePorts({ service: web, slices: [slice('svc1', ['10.180.0.9'], [{ name: 'p80', port: 80 }])] });
    const r = buildSync({ ports: one, existingChains: [] }, opts).restore;
    expect(r).not.toContain('statistic');
    expect(r).not.toMatch(/KUBE-SVC-\S+ .*KUBE-MARK-MASQ/);
    expect(r).toContain(`-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.9:80" -j ${endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.9:80')}`);
    const all = buildSync({ ports: one, existingChains: [] }, { ...opts, masqueradeAll: true }).restore;
    expect(all).toContain('-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 10.96.0.41 --dport 80 -j KUBE-MARK-MASQ');
  });

  test('sessionAffinity ClientIP: recent --rcheck rules first, then the spread, and --set before DNAT', () => {
    const s = svc('svc1', { ports: web.spec!.ports, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } });
    const r = buildSync({ ports: proxyServicePorts({ service: s, slices: [webSlice] }), existingChains: [] }, opts).restore;
    const sep1 = endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:8080');
    const svcRules = nat(r).filter((l) => l.startsWith('-A KUBE-SVC-XPGD46QRK7WJZT7O'));
    expect(svcRules[0]).toBe(`-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:8080" -m recent --name ${sep1} --rcheck --seconds 600 --reap -j ${sep1}`);
    expect(svcRules.filter((l) => l.includes('--rcheck'))).toHaveLength(3);
    expect(svcRules.slice(3).every((l) => !l.includes('recent'))).toBe(true);
    expect(r).toContain(`-A ${sep1} -m comment --comment "ns1/svc1:p80" -m recent --name ${sep1} --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:8080`);
    const dflt = svc('svc1', { ports: web.spec!.ports, sessionAffinity: 'ClientIP' });
    expect(buildSync({ ports: proxyServicePorts({ service: dflt, slices: [webSlice] }), existingChains: [] }, opts).restore).toContain('--seconds 10800 --reap');
  });

  test('NodePort and LoadBalancer go through KUBE-EXT (masquerade, then the service chain)', () => {
    const s = svc('svc2', { type: 'LoadBalancer', ports: [{ name: 'p80', port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '192.0.2.2' }] } });
    const ports = proxyServicePorts({ service: s, slices: [slice('svc2', ['10.180.0.5'], [{ name: 'p80', port: 80 }])] });
    const r = buildSync({ ports, existingChains: [] }, opts).restore;
    const ext = externalChain('ns1/svc2:p80', 'tcp');
    const svcC = serviceChain('ns1/svc2:p80', 'tcp');
    expect(r).toContain(`-A KUBE-NODEPORTS -m comment --comment "ns1/svc2:p80" -m tcp -p tcp --dport 30080 -j ${ext}`);
    expect(r).toContain(`-A KUBE-SERVICES -m comment --comment "ns1/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 192.0.2.2 --dport 80 -j ${ext}`);
    expect(r).toContain(`-A ${ext} -m comment --comment "masquerade traffic for ns1/svc2:p80 external destinations" -j KUBE-MARK-MASQ\n-A ${ext} -j ${svcC}`);
    // A ClusterIP service has no node port rules even if the object still carries a nodePort.
    const c = svc('svc3', { type: 'ClusterIP', ports: [{ port: 80, nodePort: 30081 }] });
    expect(proxyServicePorts({ service: c, slices: [] })[0].nodePort).toBe(0);
  });

  test('no endpoints: REJECT in filter for the ClusterIP, node port and LB address, and no nat chains', () => {
    const s = svc('svc2', { type: 'LoadBalancer', ports: [{ name: 'p80', port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '192.0.2.2' }] } });
    const { restore, activeChains } = buildSync({ ports: proxyServicePorts({ service: s, slices: [] }), existingChains: [] }, opts);
    expect(filter(restore)).toEqual(expect.arrayContaining([
      '-A KUBE-SERVICES -m comment --comment "ns1/svc2:p80 has no endpoints" -m tcp -p tcp -d 10.96.0.41 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc2:p80 has no endpoints" -m tcp -p tcp -d 192.0.2.2 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc2:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
    ]));
    expect(activeChains.size).toBe(0);
    expect(nat(restore).some((l) => l.includes('KUBE-SVC-') || l.includes('KUBE-EXT-'))).toBe(false);
  });

  test('a partial sync rewrites only changed services\' chains but all of KUBE-SERVICES; stale chains are deleted', () => {
    const a = proxyServicePorts({ service: web, slices: [webSlice] });
    const other = svc('other', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ports: [{ port: 81 }] });
    const b = proxyServicePorts({ service: other, slices: [slice('other', ['10.180.1.1'], [{ port: 81 }])] });
    const first = buildSync({ ports: [...a, ...b], existingChains: [] }, opts);
    // web loses one endpoint; only web changed.
    const a2 = proxyServicePorts({ service: web, slices: [slice('svc1', ['10.180.0.1', '10.180.0.2'], [{ name: 'p80', port: 8080 }])] });
    const second = buildSync({ ports: [...a2, ...b], changed: new Set(['ns1/svc1']), existingChains: first.activeChains }, opts);
    const gone = endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.3:8080');
    expect(second.deletedChains).toEqual([gone]);
    expect(nat(second.restore)).toEqual(expect.arrayContaining([`:${gone} - [0:0]`, `-X ${gone}`]));
    expect(second.restore).not.toContain(`:${serviceChain('ns1/other', 'tcp')} - [0:0]`);
    expect(second.restore).toContain(`-A KUBE-SERVICES -m comment --comment "ns1/other cluster IP" -m tcp -p tcp -d 10.96.0.50 --dport 81 -j ${serviceChain('ns1/other', 'tcp')}`);
    expect(second.restore).toContain('--probability 0.5000000000');
    expect(second.activeChains.has(serviceChain('ns1/other', 'tcp'))).toBe(true);
    // Deleting the service removes every chain it had; chains that are not ours are never touched.
    const third = buildSync({ ports: b, changed: new Set(['ns1/svc1']), existingChains: [...second.activeChains, 'KUBE-FIREWALL', 'CNI-abc'] }, opts);
    expect(third.deletedChains.sort()).toEqual([serviceChain('ns1/svc1:p80', 'tcp'), ...a2[0].endpoints.map((e) => endpointChain('ns1/svc1:p80', 'tcp', `${e.ip}:${e.port}`))].sort());
  });

  test('given what the last sync wrote, a partial sync leaves out fixed chains whose rules did not change', () => {
    const a = proxyServicePorts({ service: web, slices: [webSlice] });
    const first = buildSync({ ports: a, existingChains: [] }, opts);
    // Only an endpoint changed: KUBE-SERVICES and the other fixed chains stay as they are.
    const a2 = proxyServicePorts({ service: web, slices: [slice('svc1', ['10.180.0.1', '10.180.0.4'], [{ name: 'p80', port: 8080 }])] });
    const second = buildSync({ ports: a2, changed: new Set(['ns1/svc1']), existingChains: first.activeChains, written: first.fixedChains }, opts);
    expect(second.restore).not.toMatch(/^:KUBE-(SERVICES|NODEPORTS|POSTROUTING|MARK-MASQ|FORWARD|EXTERNAL-SERVICES) /m);
    expect(second.restore).not.toMatch(/^-A KUBE-(SERVICES|NODEPORTS|POSTROUTING|MARK-MASQ|FORWARD) /m);
    expect(nat(second.restore)).toContain(`:${serviceChain('ns1/svc1:p80', 'tcp')} - [0:0]`);
    expect(nat(second.restore)).toContain(`-X ${endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.3:8080')}`);
    // The last endpoint goes: the nat jump leaves KUBE-SERVICES and a filter REJECT arrives, so both are rewritten.
    const third = buildSync({ ports: proxyServicePorts({ service: web, slices: [] }), changed: new Set(['ns1/svc1']),
      existingChains: second.activeChains, written: second.fixedChains }, opts);
    expect(nat(third.restore)).toContain(':KUBE-SERVICES - [0:0]');
    expect(filter(third.restore)).toContain(':KUBE-SERVICES - [0:0]');
    expect(filter(third.restore).some((l) => l.startsWith('-A KUBE-SERVICES') && l.includes('has no endpoints'))).toBe(true);
    expect(nat(third.restore)).not.toContain(':KUBE-POSTROUTING - [0:0]');
    // A full sync writes everything whatever was written before.
    expect(buildSync({ ports: a2, existingChains: [], written: first.fixedChains }, opts).restore).toContain(':KUBE-POSTROUTING - [0:0]');
  });

  test('missing jump rules are inserted in the same transaction; present ones are recognised from iptables-save', () => {
    const saved = parseSave([
      '*nat', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', 'COMMIT',
    ].join('\n'));
    const missing = missingJumps('nat', saved);
    expect(missing.map((j) => `${j.from}->${j.to}`)).toEqual(['OUTPUT->KUBE-SERVICES', 'POSTROUTING->KUBE-POSTROUTING']);
    const r = buildSync({ ports: [], existingChains: saved.chains, missingJumps: missing }, opts).restore;
    expect(r).toContain('-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    const filterSaved = parseSave('-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES\n');
    expect(missingJumps('filter', filterSaved).map((j) => `${j.from}->${j.to}`)).not.toContain('INPUT->KUBE-EXTERNAL-SERVICES');
  });

  test('missing jumps come right after the fixed chains\' declarations, before the services\' chains', () => {
    const missing = missingJumps('nat', parseSave(''));
    const r = nat(buildSync({ ports: proxyServicePorts({ service: web, slices: [webSlice] }), existingChains: [], missingJumps: missing }, opts).restore);
    const firstJump = r.findIndex((l) => l.startsWith('-I '));
    expect(r.slice(1, firstJump)).toEqual([':KUBE-SERVICES - [0:0]', ':KUBE-NODEPORTS - [0:0]', ':KUBE-POSTROUTING - [0:0]', ':KUBE-MARK-MASQ - [0:0]']);
    expect(r[firstJump + missing.length]).toBe(':KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]');
  });

  test('with a memo, a partial sync builds only the ports it has not seen, and the same input as without', () => {
    const other = svc('other', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ports: [{ port: 81 }] });
    const b = proxyServicePorts({ service: other, slices: [slice('other', ['10.180.1.1'], [{ port: 81 }])] });
    const memo = new WeakMap<ProxyServicePort, PortRules>();
    const first = buildSync({ ports: [...proxyServicePorts({ service: web, slices: [webSlice] }), ...b], existingChains: [], memo }, opts);
    const remembered = memo.get(b[0]);
    expect(remembered?.chains).toEqual([serviceChain('ns1/other', 'tcp'), endpointChain('ns1/other', 'tcp', '10.180.1.1:81')]);
    const a2 = proxyServicePorts({ service: web, slices: [slice('svc1', ['10.180.0.1'], [{ name: 'p80', port: 8080 }])] });
    const input = { ports: [...a2, ...b], changed: new Set(['ns1/svc1']), existingChains: first.activeChains, written: first.fixedChains };
    const withMemo = buildSync({ ...input, memo }, opts);
    expect(withMemo.restore).toBe(buildSync(input, opts).restore);
    expect(memo.get(b[0])).toBe(remembered);
    expect(memo.get(a2[0])?.chains).toEqual([serviceChain('ns1/svc1:p80', 'tcp'), endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:8080')]);
  });

  test('iptables-nft reads the whole table for a restore declaring many chains, after the commands on built-in chains', () => {
    const many = Array.from({ length: 2001 }, (_, i) => `:KUBE-SEP-${i} - [0:0]`);
    const small = '*nat\n:KUBE-SERVICES - [0:0]\n-I OUTPUT 1 -j KUBE-SERVICES\nCOMMIT\n';
    expect(readWholeTables(small)).toBe(small);
    const big = ['*filter', ':KUBE-FORWARD - [0:0]', 'COMMIT', '*nat', ':KUBE-SERVICES - [0:0]', '-I OUTPUT 1 -j KUBE-SERVICES',
      '-I PREROUTING 1 -j KUBE-SERVICES', ...many, '-A KUBE-SERVICES -j KUBE-SEP-1', 'COMMIT', ''];
    const out = lines(readWholeTables(big.join('\n')));
    expect(out.filter((l) => l === '-S')).toHaveLength(1);
    expect(out.indexOf('-S')).toBe(big.indexOf('-I PREROUTING 1 -j KUBE-SERVICES') + 1);
    expect(out.filter((l) => l !== '-S')).toEqual(big);
    // With no command on a built-in chain it comes first.
    const noJumps = lines(readWholeTables(['*nat', ...many, 'COMMIT', ''].join('\n')));
    expect(noJumps.slice(0, 2)).toEqual(['*nat', '-S']);
  });

  test('cleanup deletes our jumps and chains and nothing else', () => {
    const natSaved = parseSave([
      ':PREROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]', ':CNI-abc - [0:0]',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A POSTROUTING -s 10.244.0.3/32 -j CNI-abc',
    ].join('\n'));
    const text = buildCleanup(natSaved, parseSave(':KUBE-FORWARD - [0:0]\n:KUBE-FIREWALL - [0:0]\n'));
    expect(text).toContain('-D PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(text).toContain('-X KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(text).toContain('-X KUBE-FORWARD');
    expect(text).not.toContain('CNI-abc');
    expect(text).not.toContain('KUBE-FIREWALL');
  });

  test('LoadBalancer status is the node address, written once', () => {
    const lb = svc('lb', { type: 'LoadBalancer', ports: [{ port: 80 }] });
    expect(loadBalancerStatusPatch(lb, '192.0.2.2')).toEqual({ status: { loadBalancer: { ingress: [{ ip: '192.0.2.2' }] } } });
    expect(loadBalancerStatusPatch({ ...lb, status: { loadBalancer: { ingress: [{ ip: '192.0.2.2' }] } } }, '192.0.2.2')).toBeUndefined();
    expect(loadBalancerStatusPatch(web, '192.0.2.2')).toBeUndefined();
  });
});

describe('per-cluster chain sets', () => {
  const chains = chainSet('KT1A2B3');
  const port: ProxyServicePort = {
    service: 'ns1/svc1', name: 'ns1/svc1:p80', protocol: 'tcp', clusterIP: '172.30.0.41', port: 80, nodePort: 30080,
    loadBalancerIPs: [], endpoints: [{ ip: '10.180.0.1', port: 8080 }],
  };

  it('names every chain with the prefix, within iptables\' 28 characters', () => {
    const r = buildSync({ ports: [port], existingChains: [] }, { ...opts, chains, clusterCIDR: '10.244.7.0/24' }).restore;
    const names = r.split('\n').filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]!);
    expect(names.length).toBeGreaterThan(6);
    for (const n of names) { expect(n.startsWith('KT1A2B3-')).toBe(true); expect(n.length).toBeLessThanOrEqual(28); }
    expect(r).not.toMatch(/KUBE-/);
  });

  it('takes pod traffic in PREROUTING only from its cluster CIDR, and leaves other sets\' chains alone', () => {
    const jumps = jumpRules(chains, '10.244.7.0/24');
    const pre = jumps.find((j) => j.from === 'PREROUTING')!;
    expect(jumpRuleArgs(pre)).toEqual(expect.arrayContaining(['-s', '10.244.7.0/24', '-j', 'KT1A2B3-SERVICES']));
    const other = chainSet('KT9F9F9').serviceChain('ns1/svc1:p80', 'tcp');
    const plan = buildSync({ ports: [], existingChains: [other, 'KUBE-SVC-XPGD46QRK7WJZT7O', chains.serviceChain('x/y', 'tcp')] }, { ...opts, chains });
    expect(plan.deletedChains).toEqual([chains.serviceChain('x/y', 'tcp')]);
  });

  it('cleans up only its own chains and jumps', () => {
    const nat = parseSave([':KT1A2B3-SERVICES - [0:0]', ':KUBE-SERVICES - [0:0]', `:${chains.serviceChain('a/b', 'tcp')} - [0:0]`,
      '-A PREROUTING -s 10.244.7.0/24 -m comment --comment "kubernetes service portals" -j KT1A2B3-SERVICES',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'].join('\n'));
    const text = buildCleanup(nat, parseSave(''), chains);
    expect(text).toContain('-X KT1A2B3-SERVICES');
    expect(text).toContain(`-X ${chains.serviceChain('a/b', 'tcp')}`);
    expect(text).toContain('-D PREROUTING -s 10.244.7.0/24');
    expect(text).not.toContain('KUBE-SERVICES');
  });

  it('refuses prefixes that would overflow chain names', () => {
    expect(() => chainSet('KUBETS12')).toThrow(/1-7 letters/);
  });
});
