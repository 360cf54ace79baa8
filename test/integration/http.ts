// Raw HTTPS to the suite's apiserver with node's https: the admin client certificate from the suite's
// kubeconfig, a bearer token, or no credentials at all; plus a line-by-line reader for watch streams.
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { kubeconfigPath, waitFor } from '../e2e/kubectl';

export interface Credentials { server: URL; ca: Buffer; cert: Buffer; key: Buffer }

interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { 'client-certificate'?: string; 'client-certificate-data'?: string; 'client-key'?: string; 'client-key-data'?: string } }[];
}

let cached: Credentials | undefined;

/** The server, CA and client certificate of the kubeconfig's current context (inline data or files). */
export function credentials(): Credentials {
  if (cached) return cached;
  const file = kubeconfigPath();
  const doc = parseYaml(readFileSync(file, 'utf8')) as KubeconfigDoc;
  const ctx = doc.contexts?.find((c) => c.name === doc['current-context']);
  const cluster = doc.clusters?.find((c) => c.name === ctx?.context.cluster)?.cluster;
  const user = doc.users?.find((u) => u.name === ctx?.context.user)?.user;
  if (!cluster || !user) throw new Error(`${file}: current context has no cluster or user`);
  const load = (data: string | undefined, ref: string | undefined, what: string): Buffer => {
    if (data) return Buffer.from(data, 'base64');
    if (ref) return readFileSync(path.resolve(path.dirname(file), ref));
    throw new Error(`${file}: no ${what}`);
  };
  cached = {
    server: new URL(cluster.server),
    ca: load(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate authority'),
    cert: load(user['client-certificate-data'], user['client-certificate'], 'client certificate'),
    key: load(user['client-key-data'], user['client-key'], 'client key'),
  };
  return cached;
}

export type Auth = 'cert' | 'none' | { token: string };

export interface RequestOptions {
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  auth?: Auth;
  contentType?: string;
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A Kubernetes Status object, as error responses carry it. */
export interface Status {
  kind: string;
  apiVersion: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

export function json<T>(r: Response): T {
  try {
    return JSON.parse(r.body) as T;
  } catch {
    throw new Error(`not JSON (HTTP ${r.status}, ${String(r.headers['content-type'])}): ${r.body.slice(0, 500)}`);
  }
}

function requestOptions(method: string, p: string, opts: RequestOptions, body?: Buffer): https.RequestOptions {
  const c = credentials();
  const headers: Record<string, string | number> = { Accept: 'application/json', ...opts.headers };
  const auth = opts.auth ?? 'cert';
  if (typeof auth === 'object') headers.Authorization = `Bearer ${auth.token}`;
  if (body) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    headers['Content-Length'] = body.length;
  }
  return {
    method, hostname: c.server.hostname, port: c.server.port, path: p, headers, ca: c.ca,
    ...(auth === 'cert' ? { cert: c.cert, key: c.key } : {}),
    agent: false,
  };
}

function bodyBuffer(b: RequestOptions['body']): Buffer | undefined {
  if (b === undefined) return undefined;
  if (Buffer.isBuffer(b)) return b;
  return Buffer.from(typeof b === 'string' ? b : JSON.stringify(b));
}

/** One request; resolves with whatever the server answered (any status), rejects only on transport errors. */
export function request(method: string, p: string, opts: RequestOptions = {}): Promise<Response> {
  const body = bodyBuffer(opts.body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = https.request(requestOptions(method, p, opts, body), (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    // A server that answers before reading a whole (oversized) body may reset the upload: the answer counts.
    req.on('error', (e) => { if (!answered) reject(e); });
    req.end(body);
  });
}

/** A request that must succeed with `expected` (default 2xx); returns the parsed body. */
export async function ok<T>(method: string, p: string, opts: RequestOptions = {}, expected?: number): Promise<T> {
  const r = await request(method, p, opts);
  if (expected !== undefined ? r.status !== expected : r.status < 200 || r.status > 299) {
    throw new Error(`${method} ${p}: HTTP ${r.status}${expected !== undefined ? ` (wanted ${expected})` : ''}: ${r.body.slice(0, 1000)}`);
  }
  return json<T>(r);
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  deletionTimestamp?: string;
  creationTimestamp?: string;
}

export interface KubeObject { apiVersion: string; kind: string; metadata: ObjectMeta; [k: string]: unknown }

export interface List<T = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface WatchEvent { type: string; object: KubeObject & Status }

/** A watch stream read event by event (one JSON document per line, as upstream writes them). */
export class Watch {
  readonly events: WatchEvent[] = [];
  private buffer = '';
  private ended = false;
  private error: Error | undefined;
  private req: ReturnType<typeof https.request> | undefined;
  /** The response's status and headers (or the whole response when it is not a stream). */
  readonly response: Promise<Response>;

  constructor(p: string, opts: RequestOptions = {}) {
    this.response = new Promise((resolve, reject) => {
      this.req = https.request(requestOptions('GET', p, opts), (res) => {
        res.setEncoding('utf8');
        let whole = '';
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.on('data', (d: string) => { whole += d; });
          res.on('end', () => { this.ended = true; resolve({ status, headers: res.headers, body: whole }); });
          return;
        }
        resolve({ status, headers: res.headers, body: '' });
        res.on('data', (d: string) => {
          this.buffer += d;
          let nl: number;
          while ((nl = this.buffer.indexOf('\n')) >= 0) {
            const line = this.buffer.slice(0, nl).trim();
            this.buffer = this.buffer.slice(nl + 1);
            if (line) this.events.push(JSON.parse(line) as WatchEvent);
          }
        });
        res.on('end', () => { this.ended = true; });
        res.on('error', (e) => { this.error = e; });
      });
      this.req.on('error', (e) => { this.error = e; reject(e); });
      this.req.end();
    });
  }

  get closed(): boolean { return this.ended; }

  /** Waits for the first event (after `from`) matching `pred`; fails at once if the stream ends first. */
  async next(what: string, pred: (e: WatchEvent) => boolean, from = 0, timeoutMs = 20_000): Promise<{ event: WatchEvent; index: number }> {
    return waitFor(`watch event: ${what}`, () => {
      const index = this.events.findIndex((e, i) => i >= from && pred(e));
      if (index >= 0) return { event: this.events[index], index };
      if (this.error) throw this.error;
      if (this.ended) throw new Error(`watch ended before ${what}; events: ${JSON.stringify(this.events.map((e) => [e.type, e.object.metadata?.name]))}`);
      return undefined;
    }, timeoutMs);
  }

  close(): void { this.req?.destroy(); }
}

/** Creates a namespace over HTTPS for one test file (never deleted: that needs the namespace controller). */
export async function createNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await ok('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } }, 201);
  return name;
}

/**
 * A pod for API-machinery tests. It names a scheduler nobody runs, so the cluster's scheduler and kubelet
 * leave it Pending and unchanged while the test inspects it.
 */
export const unscheduledSchedulerName = 'kubets-test-none';

export function podBody(name: string, extra: { labels?: Record<string, string>; nodeName?: string; finalizers?: string[] } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.finalizers ? { finalizers: extra.finalizers } : {}) },
    spec: { ...(extra.nodeName ? { nodeName: extra.nodeName } : {}), schedulerName: unscheduledSchedulerName, containers: [{ name: 'c', image: 'nginx:1.27' }] },
  };
}

export function configMapBody(name: string, data: Record<string, string> = {}, meta: Partial<ObjectMeta> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...meta }, data };
}
