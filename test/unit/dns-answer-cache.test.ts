// The DNS server's per-zone answer cache: a repeated query gets the answer computed for it, under its own ID,
// and a new zone version is answered afresh.
import * as dnsPacket from 'dns-packet';
import type { Service } from 'kubernetes-types/core/v1';
import { ClusterZone } from '../../src/node/dns/cluster-zone';
import { respond } from '../../src/node/dns/dns-answer';
import { AnswerCache } from '../../src/node/dns/answer-cache';

const zoneWith = (ip: string): ClusterZone => new ClusterZone([{
  service: { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: ip, clusterIPs: [ip], ports: [{ port: 80 }] } } as Service,
  slices: [],
}]);
const query = (id: number, name: string): Buffer =>
  dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
const addresses = (b: Buffer | undefined): string[] =>
  dnsPacket.decode(b!).answers!.map((a) => (a.type === 'A' ? a.data : ''));

test('a repeated query is answered from the cache under its own ID, and a new zone is answered afresh', () => {
  let computed = 0;
  const cache = new AnswerCache((q, z) => { computed++; return respond(q, z, 'udp'); });
  const v1 = zoneWith('10.96.0.20');
  const first = dnsPacket.decode(cache.respond(query(7, 'web.default.svc.cluster.local'), v1)!);
  const again = dnsPacket.decode(cache.respond(query(4242, 'web.default.svc.cluster.local'), v1)!);
  expect(computed).toBe(1);
  expect([first.id, again.id]).toEqual([7, 4242]);
  expect(again.answers).toEqual(first.answers);
  expect(again.flags).toBe(first.flags);

  expect(addresses(cache.respond(query(8, 'web.default.svc.cluster.local'), zoneWith('10.96.0.30')))).toEqual(['10.96.0.30']);
  expect(computed).toBe(2);
  // A different question is its own entry; a packet that is not a query gets no answer, cached or not.
  expect((dnsPacket.decode(cache.respond(query(9, 'nope.default.svc.cluster.local'), v1)!) as dnsPacket.DecodedPacket & { rcode: string }).rcode).toBe('NXDOMAIN');
  const notQuery = Buffer.from(dnsPacket.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'x.cluster.local' }] }));
  expect(cache.respond(notQuery, v1)).toBeUndefined();
  expect(cache.respond(notQuery, v1)).toBeUndefined();
});
