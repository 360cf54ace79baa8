// The kubelet's connection to the apiserver: JSON over HTTPS with the client certificate from its
// kubeconfig, plus list-then-watch streams (newline-delimited watch events) that resume and relist.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what}: HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

interface KubeconfigDoc {
  clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
  users?: { user?: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
}

export interface WatchEvent<T> { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: T }

export class ApiClient {
  readonly server: URL;
  private readonly agent: https.Agent;

  constructor(kubeconfigFile: string) {
    const doc = parse(readFileSync(kubeconfigFile, 'utf8')) as KubeconfigDoc;
    const cluster = doc.clusters?.[0]?.cluster;
    const user = doc.users?.[0]?.user;
    if (!cluster?.server || !user?.['client-certificate-data'] || !user['client-key-data']) {
      throw new Error(`${kubeconfigFile}: needs a cluster server and client certificate data`);
    }
    const b64 = (s: string | undefined): Buffer | undefined => (s ? Buffer.from(s, 'base64') : undefined);
    this.server = new URL(cluster.server);
    this.agent = new https.Agent({
      keepAlive: true, maxSockets: 32,
      ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']),
    });
  }

  private open(method: string, path: string, body: string | undefined, contentType: string, timeoutMs: number): Promise<import('node:http').IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, this.server), {
        method, agent: this.agent, timeout: timeoutMs,
        headers: { accept: 'application/json', 'user-agent': 'kubets-kubelet', ...(body !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } : {}) },
      }, resolve);
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends a request and returns the parsed JSON body; throws ApiError for a non-2xx answer. */
  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await this.open(method, path, body === undefined ? undefined : JSON.stringify(body), contentType, 30_000);
    let text = '';
    res.setEncoding('utf8');
    for await (const chunk of res) text += chunk as string;
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new ApiError(status, text, `${method} ${path}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** GET, or undefined on 404. */
  async get<T>(path: string): Promise<T | undefined> {
    try { return await this.request<T>('GET', path); } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * Lists `path` (a collection URL with any query) then watches from the list's resourceVersion, forever:
   * `onList` receives each full list (first one and after a 410 Gone), `onEvent` each watch event.
   */
  async listWatch<T>(path: string, onList: (items: T[]) => void, onEvent: (e: WatchEvent<T>) => void, stopped: () => boolean): Promise<void> {
    const sep = path.includes('?') ? '&' : '?';
    let rv = '';
    while (!stopped()) {
      try {
        if (!rv) {
          const list = await this.request<{ items: T[]; metadata: { resourceVersion: string } }>('GET', path);
          rv = list.metadata.resourceVersion;
          onList(list.items);
        }
        const res = await this.open('GET', `${path}${sep}watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=300`, undefined, '', 0);
        if (res.statusCode !== 200) { res.resume(); rv = ''; continue; }
        let buf = '';
        res.setEncoding('utf8');
        for await (const chunk of res) {
          buf += chunk as string;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            const ev = JSON.parse(line) as WatchEvent<T & { metadata?: { resourceVersion?: string } }>;
            if (ev.type === 'ERROR') { rv = ''; break; }
            rv = ev.object.metadata?.resourceVersion ?? rv;
            if (ev.type !== 'BOOKMARK') onEvent(ev);
          }
          if (!rv) break;
        }
      } catch {
        // The apiserver restarted or the connection dropped: back off a moment, then resume (or relist).
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
