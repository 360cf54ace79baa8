// Serves DNS on one address over UDP and TCP (RFC 1035 two-byte length framing, several queries per
// connection), answering each query from whatever zone `zone()` returns at that moment.
import dgram from 'node:dgram';
import net from 'node:net';
import { isIPv6 } from 'node:net';
import { respond } from './dns-answer';
import type { ClusterZone } from './cluster-zone';
import { AnswerCache } from './answer-cache';

export interface DnsServer {
  /** The UDP and TCP port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

const TCP_IDLE_MS = 10_000;

export async function startDnsServer(address: string, port: number, zone: () => ClusterZone): Promise<DnsServer> {
  const udp = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', reuseAddr: false });
  const answers = new AnswerCache((query, z) => respond(query, z, 'udp'));
  udp.on('message', (msg, rinfo) => {
    const out = answers.respond(msg, zone());
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, address, () => { udp.off('error', reject); resolve(); });
  });
  const boundPort = udp.address().port;

  const tcp = net.createServer((sock) => {
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const out = respond(buf.subarray(2, 2 + len), zone(), 'tcp');
        buf = buf.subarray(2 + len);
        if (!out) { sock.destroy(); return; }
        const frame = Buffer.alloc(2 + out.length);
        frame.writeUInt16BE(out.length, 0);
        out.copy(frame, 2);
        sock.write(frame);
      }
    });
    sock.on('error', () => sock.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', (err) => { udp.close(); reject(err); });
    tcp.listen({ port: boundPort, host: address, exclusive: true }, () => resolve());
  });

  return {
    port: boundPort,
    close: () => new Promise<void>((resolve) => {
      udp.close(() => tcp.close(() => resolve()));
    }),
  };
}
