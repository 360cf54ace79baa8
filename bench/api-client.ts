// A minimal HTTPS client for the apiserver, authenticated with the kubeconfig's client certificate
// over keep-alive agents, so the bench measures the server rather than TLS handshakes.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { ApiCredentials } from './cluster';

export interface ApiResponse { status: number; body: string }

export function newAgent(creds: ApiCredentials, maxSockets: number): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ca: creds.ca, cert: creds.cert, key: creds.key });
}

export class ApiClient {
  constructor(private readonly creds: ApiCredentials, readonly agent: https.Agent) {}

  request(method: string, path: string, body?: string, contentType = 'application/json'): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: this.creds.server.hostname, port: this.creds.server.port, path, method, agent: this.agent,
        headers: body === undefined ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Like request, but a status other than `expect` becomes an error carrying the server's message. */
  async expect(status: number, method: string, path: string, body?: string): Promise<string> {
    const r = await this.request(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path.split('?')[0]}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
    return r.body;
  }

  /**
   * Opens a streaming GET (a watch) and calls onLine for each newline-terminated line as it arrives.
   * Resolves once the response headers are in, which is when the server has registered the watch.
   */
  stream(path: string, onLine: (line: string) => void): Promise<StreamHandle> {
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: this.creds.server.hostname, port: this.creds.server.port, path, method: 'GET', agent: this.agent,
        headers: { Accept: 'application/json' },
      }, (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET ${path.split('?')[0]} (watch): HTTP ${res.statusCode}`));
          return;
        }
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          pending += chunk;
          let nl = pending.indexOf('\n');
          while (nl >= 0) {
            onLine(pending.slice(0, nl));
            pending = pending.slice(nl + 1);
            nl = pending.indexOf('\n');
          }
        });
        res.on('error', () => { /* closed by us at the end of the phase */ });
        resolve({ close: () => req.destroy() });
      });
      req.on('error', reject);
      req.end();
    });
  }
}

export interface StreamHandle { close(): void }
