// The data path of the ingress controller: HTTP and HTTPS listeners that ask the router where each
// request goes and relay it over HTTP/1.1 to that endpoint with X-Forwarded-* headers (upgrades such
// as WebSocket are relayed as raw streams), 404 when no rule matches and 503 when no endpoint is ready.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Endpoint } from './service-backends';

export type Resolution =
  | { kind: 'endpoint'; endpoint: Endpoint; ingress: string }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'not-found' };

export interface IngressRouter {
  resolve(host: string | undefined, path: string): Resolution;
  /** The TLS context for an SNI server name (the default certificate when nothing matches). */
  secureContext(serverName: string | undefined): tls.SecureContext;
}

export interface ListenOptions {
  addresses: string[];
  httpPort: number;
  httpsPort: number;
  defaultCert: { certPem: string; keyPem: string };
}

/** Headers that describe one connection, not the message, and so are never relayed (RFC 9110 section 7.6.1). */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade']);

function relayedHeaders(headers: http.IncomingHttpHeaders, keepUpgrade = false): http.OutgoingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || ((hopByHop.has(k) || named.has(k)) && !(keepUpgrade && (k === 'upgrade' || k === 'connection')))) continue;
    out[k] = v;
  }
  return out;
}

function requestPath(url: string | undefined): string {
  const u = url ?? '/';
  // Absolute-form request targets (proxies send them) carry scheme and authority before the path.
  const path = u.startsWith('/') ? u : (() => { try { return new URL(u).pathname; } catch { return '/'; } })();
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

function forwardedHeaders(req: http.IncomingMessage, proto: 'http' | 'https', port: number): http.OutgoingHttpHeaders {
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  return {
    'x-forwarded-for': prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${client}` : client,
    'x-forwarded-proto': proto,
    'x-forwarded-host': req.headers.host ?? '',
    'x-forwarded-port': String(port),
    'x-real-ip': client,
  };
}

function plainAnswer(res: http.ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export class IngressProxy {
  private readonly servers: net.Server[] = [];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  constructor(private readonly router: IngressRouter, private readonly onError: (msg: string, err?: unknown) => void) {}

  async listen(o: ListenOptions): Promise<void> {
    for (const address of o.addresses) {
      const plain = http.createServer((req, res) => this.handle(req, res, 'http', o.httpPort));
      plain.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head, 'http', o.httpPort));
      const secure = https.createServer({
        cert: o.defaultCert.certPem, key: o.defaultCert.keyPem,
        SNICallback: (name, cb) => {
          try { cb(null, this.router.secureContext(name)); } catch (err) { cb(err as Error, undefined); }
        },
      }, (req, res) => this.handle(req, res, 'https', o.httpsPort));
      secure.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head, 'https', o.httpsPort));
      for (const [server, port] of [[plain, o.httpPort], [secure, o.httpsPort]] as const) {
        await listenOn(server, address, port);
        this.servers.push(server);
      }
    }
  }

  close(): void {
    for (const s of this.servers) s.close();
    this.agent.destroy();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, proto: 'http' | 'https', port: number): void {
    const r = this.router.resolve(req.headers.host, requestPath(req.url));
    if (r.kind === 'not-found') { plainAnswer(res, 404, 'default backend - 404\n'); return; }
    if (r.kind === 'unavailable') { plainAnswer(res, 503, `503 Service Temporarily Unavailable: ${r.reason}\n`); return; }
    const upstream = http.request({
      host: r.endpoint.ip, port: r.endpoint.port, method: req.method, path: req.url, agent: this.agent,
      headers: { ...relayedHeaders(req.headers), ...forwardedHeaders(req, proto, port) },
    }, (up) => {
      res.statusMessage = up.statusMessage ?? '';
      res.writeHead(up.statusCode ?? 502, relayedHeaders(up.headers));
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      this.onError(`proxying to ${r.endpoint.ip}:${r.endpoint.port} for ${r.ingress}`, err);
      if (!res.headersSent) plainAnswer(res, 502, '502 Bad Gateway\n');
      else res.destroy();
    });
    req.on('aborted', () => upstream.destroy());
    req.pipe(upstream);
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, proto: 'http' | 'https', port: number): void {
    const r = this.router.resolve(req.headers.host, requestPath(req.url));
    if (r.kind !== 'endpoint') {
      socket.end(r.kind === 'not-found' ? 'HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n' : 'HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    const upstream = net.connect(r.endpoint.port, r.endpoint.ip, () => {
      const headers = { ...relayedHeaders(req.headers, true), ...forwardedHeaders(req, proto, port) };
      const lines = Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${String(x)}`));
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const drop = (): void => { upstream.destroy(); socket.destroy(); };
    upstream.on('error', drop);
    socket.on('error', drop);
  }
}

function listenOn(server: net.Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => { server.off('error', reject); resolve(); });
  });
}
