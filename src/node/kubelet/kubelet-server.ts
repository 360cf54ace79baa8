// The kubelet's HTTPS API (upstream's port 10250): /healthz for anyone, and for clients holding a
// certificate from the cluster CA (the apiserver) /containerLogs/<ns>/<pod>/<container>, which streams a
// container's CRI log file with kubectl's options, and the upgrade endpoints /exec, /attach, /portForward.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { CriClient } from '../cri/cri-client';
import { CONTAINER_NAME, POD_NAME, POD_NAMESPACE } from './cri-labels';
import { streamLog, type LogOptions } from './container-logs';
import { StreamRequestError, isStreamPath, serveContainerStream } from './container-streams';

export interface ServerOptions { cert: Buffer; key: Buffer; clientCA: Buffer; address: string; port: number }

function fail(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

/** Answers a refused upgrade on the raw socket, as plain text like the kubelet's other errors. */
function failRaw(socket: Duplex, code: number, message: string): void {
  const body = Buffer.from(message);
  socket.end(`HTTP/1.1 ${code} ${code === 401 ? 'Unauthorized' : 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`);
}

function optionsFrom(q: URLSearchParams): LogOptions {
  const num = (k: string): number | undefined => (q.has(k) ? Number(q.get(k)) : undefined);
  const since = num('sinceSeconds');
  const sinceTime = q.get('sinceTime');
  return {
    tailLines: num('tailLines'),
    limitBytes: num('limitBytes'),
    timestamps: q.get('timestamps') === 'true',
    sinceMs: since !== undefined ? Date.now() - since * 1000 : sinceTime ? Date.parse(sinceTime) : undefined,
  };
}

async function containerLogs(cri: CriClient, req: IncomingMessage, res: ServerResponse, parts: string[], q: URLSearchParams): Promise<void> {
  const [ns, pod, container] = parts.map(decodeURIComponent);
  const list = await cri.listContainers({ labelSelector: { [POD_NAMESPACE]: ns!, [POD_NAME]: pod!, [CONTAINER_NAME]: container! } });
  list.sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
  const previous = q.get('previous') === 'true';
  const target = previous ? list[1] : list[0];
  if (!target) {
    fail(res, previous ? 400 : 404, previous ? `previous terminated container "${container}" in pod "${pod}" not found`
      : `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
    return;
  }
  const status = await cri.containerStatus(target.id);
  res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  const follow = q.get('follow') === 'true' && !previous;
  await streamLog(status.logPath, optionsFrom(q), res, follow, async () => {
    const s = await cri.containerStatus(target.id).catch(() => undefined);
    return !s || s.state === 'CONTAINER_EXITED';
  });
  res.end();
  void req;
}

export function startKubeletServer(cri: CriClient, o: ServerOptions): Promise<https.Server> {
  const server = https.createServer({ cert: o.cert, key: o.key, ca: o.clientCA, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    if (url.pathname === '/healthz') { res.end('ok'); return; }
    if (!(req.socket as TLSSocket).authorized) { fail(res, 401, 'Unauthorized'); return; }
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && parts[0] === 'containerLogs' && parts.length === 4) {
      containerLogs(cri, req, res, parts.slice(1), url.searchParams).catch((e: unknown) => {
        if (!res.headersSent) fail(res, 500, e instanceof Error ? e.message : String(e));
        else res.end();
      });
      return;
    }
    fail(res, 404, '404 page not found');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'https://kubelet');
    if (!(req.socket as TLSSocket).authorized) { failRaw(socket, 401, 'Unauthorized'); return; }
    if (!isStreamPath(url.pathname)) { failRaw(socket, 404, '404 page not found'); return; }
    serveContainerStream(cri, req, socket, head, url).catch((e: unknown) => {
      failRaw(socket, e instanceof StreamRequestError ? e.code : 500, e instanceof Error ? e.message : String(e));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address, () => resolve(server));
  });
}
