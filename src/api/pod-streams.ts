// pods/<name>/exec, attach and portforward, as upstream's apiserver routes them to the pod's kubelet
// (authenticated with the apiserver's kubelet client certificate): a `v5.channel.k8s.io` WebSocket is
// translated to SPDY remotecommand, a `SPDY/3.1+portforward.k8s.io` WebSocket is unwrapped onto a SPDY
// connection, and any other upgrade (SPDY from older clients or kubectl's fallback, older WebSocket
// versions) is proxied unchanged.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { RequestInfo } from './request-info';
import type { PodProxy } from './pod-proxy';
import { badRequest, statusError } from '../registry/errors';
import { SpdySession } from '../streaming/spdy-session';
import { SPDY_REMOTECOMMAND_PROTOCOL, V5_PROTOCOL, bridgeV5, type StreamOptions } from '../streaming/remote-command-bridge';
import { dialUpgrade, forwardedHeaders, readBody, relayRefusal, splice, type TlsClient } from '../streaming/upgrade-proxy';

const PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
const STREAM_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

function offered(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

export class PodStreams {
  private readonly chosen = new WeakMap<IncomingMessage, string>();
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor(private readonly proxy: PodProxy, private readonly tls: TlsClient) {
    this.wss.on('headers', (headers: string[], req: IncomingMessage) => {
      const p = this.chosen.get(req);
      if (p) headers.push(`Sec-WebSocket-Protocol: ${p}`);
    });
  }

  static handles(info: RequestInfo): boolean {
    return info.apiGroup === '' && info.resource === 'pods' && STREAM_SUBRESOURCES.has(info.subresource);
  }

  async serve(req: IncomingMessage, socket: Duplex, head: Buffer, info: RequestInfo, q: URLSearchParams): Promise<void> {
    const isWebSocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    const { target, options } = await this.kubeletTarget(info, q);
    if (isWebSocket && info.subresource !== 'portforward' && offered(req).includes(V5_PROTOCOL)) {
      return this.translate(req, socket, head, target, options);
    }
    if (isWebSocket && info.subresource === 'portforward' && offered(req).includes(PORT_FORWARD_TUNNEL_PROTOCOL)) {
      return this.tunnel(req, socket, head, target);
    }
    const up = await dialUpgrade(target, req.method ?? 'GET', forwardedHeaders(req.headers), this.tls);
    if (up.upgraded) splice(socket, head, up);
    else relayRefusal(socket, up.res);
  }

  /** The kubelet URL for the request, with upstream's kubelet parameters (input, output, error, tty, command, port). */
  private async kubeletTarget(info: RequestInfo, q: URLSearchParams): Promise<{ target: URL; options: StreamOptions }> {
    const params = new URLSearchParams();
    const options = { stdin: q.get('stdin') === 'true', stdout: q.get('stdout') === 'true', stderr: q.get('stderr') === 'true', tty: q.get('tty') === 'true' };
    const ns = encodeURIComponent(info.namespace);
    const name = encodeURIComponent(info.name);
    if (info.subresource === 'portforward') {
      const base = await this.proxy.podKubeletUrl(await this.proxy.getPod(info), info.name);
      for (const p of q.getAll('ports')) params.append('port', p);
      return { target: new URL(`${base}/portForward/${ns}/${name}?${params}`), options };
    }
    if (!options.stdin && !options.stdout && !options.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
    const { pod, container } = await this.proxy.podContainer(info, q);
    const base = await this.proxy.podKubeletUrl(pod, info.name);
    if (info.subresource === 'exec') {
      const cmd = q.getAll('command');
      if (!cmd.length) throw badRequest('you must specify at least one command for the container');
      for (const c of cmd) params.append('command', c);
    }
    if (options.stdin) params.set('input', '1');
    if (options.stdout) params.set('output', '1');
    if (options.stderr) params.set('error', '1');
    if (options.tty) params.set('tty', '1');
    return { target: new URL(`${base}/${info.subresource}/${ns}/${name}/${encodeURIComponent(container)}?${params}`), options };
  }

  private accept(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<WebSocket> {
    // We choose the subprotocol ourselves: ws would refuse `SPDY/3.1+portforward.k8s.io`, whose `/` is
    // not an RFC 7230 token character, though Go clients send it.
    this.chosen.set(req, protocol);
    delete req.headers['sec-websocket-protocol'];
    return new Promise((resolve) => this.wss.handleUpgrade(req, socket, head, resolve));
  }

  private async translate(req: IncomingMessage, socket: Duplex, head: Buffer, target: URL, options: StreamOptions): Promise<void> {
    const up = await dialUpgrade(target, 'POST', { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': SPDY_REMOTECOMMAND_PROTOCOL }, this.tls);
    const ws = await this.accept(req, socket, head, V5_PROTOCOL);
    if (!up.upgraded) {
      // As upstream's translator, a failure after the client's upgrade is a Status on the error channel.
      const message = await readBody(up.res);
      const status = statusError(up.res.statusCode ?? 500, 'InternalError', message || `kubelet answered ${up.res.statusCode}`).status;
      ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]));
      ws.close(1000);
      return;
    }
    bridgeV5(ws, new SpdySession(up.socket, up.head), options);
  }

  private async tunnel(req: IncomingMessage, socket: Duplex, head: Buffer, target: URL): Promise<void> {
    const up = await dialUpgrade(target, 'POST', { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'portforward.k8s.io' }, this.tls);
    if (!up.upgraded) {
      const message = await readBody(up.res);
      throw statusError(up.res.statusCode ?? 500, 'InternalError', message);
    }
    const ws = await this.accept(req, socket, head, PORT_FORWARD_TUNNEL_PROTOCOL);
    const kube = up.socket;
    if (up.head.length) ws.send(up.head);
    ws.on('message', (d: RawData) => { kube.write(Buffer.isBuffer(d) ? d : Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d)); });
    kube.on('data', (d: Buffer) => { if (ws.readyState === ws.OPEN) ws.send(d); });
    const done = (): void => { kube.destroy(); if (ws.readyState === ws.OPEN) ws.close(1000); };
    ws.on('close', done);
    ws.on('error', done);
    kube.on('close', done);
    kube.on('error', done);
  }
}
