// HTTP upgrade plumbing shared by the apiserver (towards kubelets) and the kubelet (towards the
// runtime's streaming server): dial an upgrade request, and splice an accepted upgrade or relay a refusal
// back to the client's raw socket. Protocol-agnostic, so SPDY and WebSocket requests pass unchanged.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export interface TlsClient { cert: Buffer; key: Buffer; ca: Buffer }

export type DialResult =
  | { upgraded: true; res: IncomingMessage; socket: Duplex; head: Buffer }
  | { upgraded: false; res: IncomingMessage };

/** Only loopback targets: the runtime's streaming server and kubelets on this machine's addresses. */
export function dialUpgrade(target: URL, method: string, headers: http.OutgoingHttpHeaders, tls?: TlsClient): Promise<DialResult> {
  return new Promise((resolve, reject) => {
    const opts = { method, headers, timeout: 30_000, ...(tls ? { cert: tls.cert, key: tls.key, ca: tls.ca } : {}) };
    const req = target.protocol === 'https:' ? https.request(target, { ...opts, agent: false }) : http.request(target, { ...opts, agent: false });
    req.on('upgrade', (res, socket, head) => {
      socket.setTimeout(0);
      resolve({ upgraded: true, res, socket, head });
    });
    req.on('response', (res) => resolve({ upgraded: false, res }));
    req.on('timeout', () => req.destroy(new Error(`${target.origin} did not answer the upgrade request`)));
    req.on('error', reject);
    req.end();
  });
}

/** The request's headers for the next hop: hop-specific ones (host, credentials) dropped, the rest kept. */
export function forwardedHeaders(headers: IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || k === 'host' || k === 'authorization' || k === 'content-length') continue;
    out[k] = v;
  }
  return out;
}

function headLines(res: IncomingMessage): string {
  let s = `HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ''}\r\n`;
  for (let i = 0; i < res.rawHeaders.length; i += 2) s += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
  return s;
}

/** Joins two upgraded connections, forwarding the 101 answer and any bytes already read on either side. */
export function splice(client: Duplex, clientHead: Buffer, up: Extract<DialResult, { upgraded: true }>): void {
  client.write(`${headLines(up.res)}\r\n`);
  if (up.head.length) client.write(up.head);
  if (clientHead.length) up.socket.write(clientHead);
  client.pipe(up.socket);
  up.socket.pipe(client);
  const done = (): void => { client.destroy(); up.socket.destroy(); };
  client.on('close', done);
  up.socket.on('close', done);
  client.on('error', done);
  up.socket.on('error', done);
}

/** Relays a refused upgrade (status, headers, body) to the client and closes it. */
export function relayRefusal(client: Duplex, res: IncomingMessage): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ''}\r\n`;
    for (let i = 0; i < res.rawHeaders.length; i += 2) {
      const k = res.rawHeaders[i]!.toLowerCase();
      if (k === 'transfer-encoding' || k === 'content-length' || k === 'connection') continue;
      head += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
    }
    client.end(`${head}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.toString('latin1')}`, 'latin1');
  });
}

export async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}
