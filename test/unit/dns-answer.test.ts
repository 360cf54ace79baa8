// Cluster DNS answers, driven through the pure zone + answer modules with real DNS wire packets.
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { ClusterZone, reverseName } from '../../src/node/dns/cluster-zone';
import { respond } from '../../src/node/dns/dns-answer';
import { endpointsToSlices, type ServiceBackends } from '../../src/node/service-backends';

const svc = (ns: string, name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec });
const slice = (ns: string, svcName: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'], addressType = 'IPv4'): EndpointSlice => ({
  addressType, endpoints, ports, metadata: { namespace: ns, name: `${svcName}-abc`, labels: { 'kubernetes.io/service-name': svcName } },
});

const backends: ServiceBackends[] = [
  { service: svc('default', 'web', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 8443 }] }), slices: [] },
  { service: svc('default', 'dual', { clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.21', 'fd00:10:96::21'], ports: [{ port: 80 }] }), slices: [] },
  {
    service: svc('db', 'nginx', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'web', port: 80 }] }),
    slices: [slice('db', 'nginx', [
      { addresses: ['10.244.0.5'], hostname: 'web-0', conditions: { ready: true } },
      { addresses: ['10.244.0.6'], hostname: 'web-1' },
      { addresses: ['10.244.0.7'], conditions: { ready: false } },
    ], [{ name: 'web', port: 8080, protocol: 'TCP' }])],
  },
  { service: svc('db', 'external', { type: 'ExternalName', externalName: 'db.example.com' }), slices: [] },
  { service: svc('db', 'alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }), slices: [] },
];
const zone = new ClusterZone(backends);

function ask(name: string, type: RecordType | 'ANY', opts: { tcp?: boolean; edns?: number } = {}): DecodedPacket & { rcode: string } {
  const q = dnsPacket.encode({
    type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as RecordType, class: 'IN' }],
    additionals: opts.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  });
  const out = respond(q, zone, opts.tcp ? 'tcp' : 'udp');
  if (!out) throw new Error('no answer');
  return dnsPacket.decode(out) as DecodedPacket & { rcode: string };
}
const data = (answers: Answer[] | undefined, type: string) => (answers ?? []).filter((a) => a.type === type).map((a) => (a as { data: unknown }).data);

describe('cluster DNS answers', () => {
  test('A for a ClusterIP service, authoritative, id and question echoed, TTL 5', () => {
    const r = ask('web.default.svc.cluster.local', 'A');
    expect(r.rcode).toBe('NOERROR');
    expect(r.id).toBe(4242);
    expect(r.flag_aa).toBe(true);
    expect(r.flag_rd).toBe(true);
    expect(r.questions?.[0].name).toBe('web.default.svc.cluster.local');
    expect(data(r.answers, 'A')).toEqual(['10.96.0.20']);
    expect(r.answers?.[0].type === 'A' && r.answers[0].ttl).toBe(5);
  });

  test('names are case-insensitive and a trailing dot is accepted', () => {
    expect(data(ask('WEB.Default.SVC.cluster.local.', 'A').answers, 'A')).toEqual(['10.96.0.20']);
  });

  test('AAAA for a dual-stack service; NODATA with SOA for AAAA of an IPv4-only one', () => {
    expect(data(ask('dual.default.svc.cluster.local', 'AAAA').answers, 'AAAA')).toEqual(['fd00:10:96::21']);
    const r = ask('web.default.svc.cluster.local', 'AAAA');
    expect(r.rcode).toBe('NOERROR');
    expect(r.answers).toEqual([]);
    expect(r.authorities?.[0].type).toBe('SOA');
  });

  test('SRV for a named port of a ClusterIP service points at the service name', () => {
    const r = ask('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(data(r.answers, 'SRV')).toEqual([{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    expect(data(r.additionals, 'A')).toEqual(['10.96.0.20']);
    expect(ask('_https._tcp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  test('headless service answers with its ready endpoints; not-ready ones are left out', () => {
    const r = ask('nginx.db.svc.cluster.local', 'A');
    expect(data(r.answers, 'A').sort()).toEqual(['10.244.0.5', '10.244.0.6']);
  });

  test('StatefulSet pod names <hostname>.<subdomain>.<ns>.svc resolve to the endpoint IP', () => {
    expect(data(ask('web-0.nginx.db.svc.cluster.local', 'A').answers, 'A')).toEqual(['10.244.0.5']);
    expect(data(ask('web-1.nginx.db.svc.cluster.local', 'A').answers, 'A')).toEqual(['10.244.0.6']);
    expect(ask('web-2.nginx.db.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  test('SRV for a headless named port lists each endpoint by name and port', () => {
    const r = ask('_web._tcp.nginx.db.svc.cluster.local', 'SRV');
    expect(data(r.answers, 'SRV')).toEqual([
      { priority: 0, weight: 50, port: 8080, target: 'web-0.nginx.db.svc.cluster.local' },
      { priority: 0, weight: 50, port: 8080, target: 'web-1.nginx.db.svc.cluster.local' },
    ]);
    expect(data(r.additionals, 'A')).toEqual(['10.244.0.5', '10.244.0.6']);
  });

  test('publishNotReadyAddresses puts not-ready endpoints in DNS, named by dashed IP without a hostname', () => {
    const z = new ClusterZone([{ ...backends[2], service: { ...backends[2].service, spec: { ...backends[2].service.spec, publishNotReadyAddresses: true } } }]);
    const q = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: '10-244-0-7.nginx.db.svc.cluster.local', type: 'A' }] });
    const r = dnsPacket.decode(respond(q, z)!);
    expect(data(r.answers, 'A')).toEqual(['10.244.0.7']);
  });

  test('pod A records from the dashed address; malformed ones are NXDOMAIN', () => {
    expect(data(ask('10-244-1-9.default.pod.cluster.local', 'A').answers, 'A')).toEqual(['10.244.1.9']);
    expect(data(ask('fd00--9.default.pod.cluster.local', 'AAAA').answers, 'AAAA')).toEqual(['fd00::9']);
    expect(ask('10-244-1-999.default.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  test('ExternalName is a CNAME; a target inside the zone is followed', () => {
    const r = ask('external.db.svc.cluster.local', 'A');
    expect(r.rcode).toBe('NOERROR');
    expect(data(r.answers, 'CNAME')).toEqual(['db.example.com']);
    expect(data(r.answers, 'A')).toEqual([]);
    const alias = ask('alias.db.svc.cluster.local', 'A');
    expect(data(alias.answers, 'CNAME')).toEqual(['web.default.svc.cluster.local']);
    expect(data(alias.answers, 'A')).toEqual(['10.96.0.20']);
  });

  test('PTR for service IPs and endpoint (pod) IPs', () => {
    expect(data(ask(reverseName('10.96.0.20')!, 'PTR').answers, 'PTR')).toEqual(['web.default.svc.cluster.local']);
    expect(data(ask('5.0.244.10.in-addr.arpa', 'PTR').answers, 'PTR')).toEqual(['web-0.nginx.db.svc.cluster.local']);
    expect(data(ask(reverseName('fd00:10:96::21')!, 'PTR').answers, 'PTR')).toEqual(['dual.default.svc.cluster.local']);
  });

  test('unknown names in the cluster domain are NXDOMAIN with the SOA; interior names exist', () => {
    const r = ask('nope.default.svc.cluster.local', 'A');
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.flag_aa).toBe(true);
    expect(r.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'cluster.local' });
    expect(ask('default.svc.cluster.local', 'A').rcode).toBe('NOERROR');
    expect(ask('svc.cluster.local', 'A').rcode).toBe('NOERROR');
    expect(ask('cluster.local', 'SOA').rcode).toBe('NOERROR');
  });

  test('names outside the cluster domain are REFUSED, never forwarded', () => {
    for (const name of ['example.com', 'cluster.local.evil.com', '8.8.8.8.in-addr.arpa']) {
      const r = ask(name, 'A');
      expect(r.rcode).toBe('REFUSED');
      expect(r.answers).toEqual([]);
    }
  });

  test('an answer too big for 512-byte UDP is truncated (TC) and whole over TCP or with EDNS', () => {
    const many = slice('big', 'many', Array.from({ length: 60 }, (_, i) => ({ addresses: [`10.244.3.${i + 1}`] })), [{ port: 80 }]);
    const z = new ClusterZone([{ service: svc('big', 'many', { clusterIP: 'None' }), slices: [many] }]);
    const q = dnsPacket.encode({ type: 'query', id: 7, questions: [{ name: 'many.big.svc.cluster.local', type: 'A' }] });
    const udp = dnsPacket.decode(respond(q, z, 'udp')!);
    expect(udp.flag_tc).toBe(true);
    expect(udp.answers).toEqual([]);
    expect(dnsPacket.decode(respond(q, z, 'tcp')!).answers).toHaveLength(60);
    const qe = dnsPacket.encode({ type: 'query', id: 8, questions: [{ name: 'many.big.svc.cluster.local', type: 'A' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] });
    expect(dnsPacket.decode(respond(qe, z, 'udp')!).answers).toHaveLength(60);
  });

  test('garbage gets no answer; responses are never answered', () => {
    expect(respond(Buffer.from([1, 2, 3]), zone)).toBeUndefined();
    const resp = dnsPacket.encode({ type: 'response', id: 3, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }] });
    expect(respond(resp, zone)).toBeUndefined();
  });

  test('Endpoints objects become slices with readiness, hostnames and ports', () => {
    const ep: Endpoints = {
      metadata: { namespace: 'db', name: 'nginx' },
      subsets: [{ addresses: [{ ip: '10.244.0.5', hostname: 'web-0' }], notReadyAddresses: [{ ip: '10.244.0.8' }], ports: [{ name: 'web', port: 8080, protocol: 'TCP' }] }],
    };
    const z = new ClusterZone([{ service: backends[2].service, slices: endpointsToSlices(ep) }]);
    const q = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'nginx.db.svc.cluster.local', type: 'A' }] });
    expect(data(dnsPacket.decode(respond(q, z)!).answers, 'A')).toEqual(['10.244.0.5']);
  });
});
