// The bench's HTTPS client for the apiserver: undici's connection pool, authenticated with the
// kubeconfig's client certificate over keep-alive connections. undici is Node's own lean HTTP/1.1
// client (fetch is built on it); node:https costs this single-threaded load generator about three
// times its CPU per request, which on a small machine capped the apiserver's figures at the
// client's speed rather than the server's.
import { Pool } from 'undici';
import type { ApiCredentials } from './cluster';

export interface ApiResponse { status: number; body: string }

const jsonHeaders = { accept: 'application/json' };
const jsonBodyHeaders = { accept: 'application/json', 'content-type': 'application/json' };

export class ApiClient {
  private readonly pool: Pool;

  /** `connections` caps the open sockets: the concurrency of a closed loop, or the number of watches. */
  constructor(creds: ApiCredentials, connections: number) {
    this.pool = new Pool(creds.server.origin, {
      connections, pipelining: 1,
      connect: { ca: creds.ca, cert: creds.cert, key: creds.key },
      // Watches stay open for a whole phase with nothing to say between events.
      bodyTimeout: 0, headersTimeout: 60_000,
    });
  }

  async request(method: string, path: string, body?: string, contentType?: string): Promise<ApiResponse> {
    const headers = body === undefined ? jsonHeaders : contentType ? { ...jsonBodyHeaders, 'content-type': contentType } : jsonBodyHeaders;
    const res = await this.pool.request({ method: method as 'GET', path, body, headers });
    return { status: res.statusCode, body: await res.body.text() };
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
  async stream(path: string, onLine: (line: string) => void): Promise<StreamHandle> {
    const res = await this.pool.request({ method: 'GET', path, headers: jsonHeaders });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`GET ${path.split('?')[0]} (watch): HTTP ${res.statusCode}`);
    }
    let pending = '';
    res.body.setEncoding('utf8');
    res.body.on('data', (chunk: string) => {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    });
    res.body.on('error', () => { /* closed by us at the end of the phase */ });
    return { close: () => res.body.destroy() };
  }

  /** Closes every connection, open watches included. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

export interface StreamHandle { close(): void }
