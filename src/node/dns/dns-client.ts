// A minimal DNS stub client over UDP (dns-packet for the wire format), for `up`'s readiness probe,
// the tests and the benchmark: one question, one answer, a timeout.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket, RecordType } from 'dns-packet';

export type DnsReply = DecodedPacket & { rcode: string };

export function queryUdp(server: string, port: number, name: string, type: RecordType, timeoutMs = 2000): Promise<DnsReply> {
  const id = Math.floor(Math.random() * 65536);
  const sock = dgram.createSocket(isIPv6(server) ? 'udp6' : 'udp4');
  return new Promise<DnsReply>((resolve, reject) => {
    const timer = setTimeout(() => { sock.close(); reject(new Error(`DNS query ${name} ${type} to ${server}:${port} timed out`)); }, timeoutMs);
    sock.on('message', (msg) => {
      let reply: DnsReply;
      try { reply = dnsPacket.decode(msg) as DnsReply; } catch { return; }
      if (reply.id !== id) return;
      clearTimeout(timer);
      sock.close();
      resolve(reply);
    });
    sock.on('error', (err) => { clearTimeout(timer); sock.close(); reject(err); });
    sock.send(dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] }), port, server);
  });
}
