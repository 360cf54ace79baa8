// A JSON REST client for the components (controllers, scheduler, node agents): credentials come from a
// kubeconfig through @kubernetes/client-node, requests go over one keep-alive HTTPS agent, and objects
// stay plain JSON typed with kubernetes-types. Errors arrive as ApiError carrying the server's Status.
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ObjectMeta, Status } from 'kubernetes-types/meta/v1';
import { ApiError, isNotFound } from './api-error';
import { resourcePath, type ResourceRef } from './resource-ref';

/** Any API object as kubernetes-types declares it (their interfaces carry no index signature). */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export type PatchType = 'merge' | 'strategic' | 'json';
/** Idle time after which a request is abandoned (no component request legitimately waits this long). */
const requestTimeoutMs = 30_000;

const patchContentType: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

const DEFAULT_MAX_SOCKETS = 32;

export interface ClientOptions {
  /**
   * Requests in flight at once (more queue in the agent). Latency-bound callers that issue many small
   * writes (the scheduler's bindings, many hollow kubelets) need more than the default 32.
   */
  maxSockets?: number;
}

export class RestClient {
  private constructor(
    readonly server: URL,
    private readonly agent: https.Agent,
    private readonly headers: Record<string, string>,
    /** The user agent upstream components send, e.g. "kube-controller-manager/v1.32.0 (linux/amd64) kubets". */
    readonly userAgent: string,
    readonly kubeConfig: KubeConfig,
  ) {}

  /** Loads a kubeconfig file (client-node is an ES module, so it is imported lazily at run time). */
  static async fromKubeConfigFile(file: string, component: string, opts: ClientOptions = {}): Promise<RestClient> {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    return RestClient.fromKubeConfig(kc, component, opts);
  }

  static async fromKubeConfig(kc: KubeConfig, component: string, opts: ClientOptions = {}): Promise<RestClient> {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    const agent = new https.Agent({
      keepAlive: true, maxSockets: opts.maxSockets ?? DEFAULT_MAX_SOCKETS, ca: tls.ca, cert: tls.cert, key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(tls.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    return new RestClient(new URL(cluster.server), agent, headers, `${component}/v1.32.0 (linux/amd64) kubets`, kc);
  }

  /**
   * One request; resolves with the parsed JSON body (undefined for an empty one), rejects with ApiError.
   * A read that fails on a reused keep-alive connection the server closed meanwhile (the caller was paused
   * past the server's idle timeout) is sent once more on a fresh one.
   */
  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    try {
      return await this.send<T>(method, path, body, contentType);
    } catch (err) {
      if (method !== 'GET' || !isStaleConnection(err)) throw err;
      return this.send<T>(method, path, body, contentType);
    }
  }

  private send<T>(method: string, path: string, body: unknown, contentType: string): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = https.request({
        host: this.server.hostname, port: this.server.port || 443, method, path, agent: this.agent,
        headers: {
          ...this.headers, Accept: 'application/json', 'User-Agent': this.userAgent,
          ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve(parsed as T);
          else reject(new ApiError(code, isStatus(parsed) ? parsed : undefined, method, path));
        });
      });
      // A request the server never answers must not stall a reconcile loop forever (a tick that awaits it
      // would never run again); the caller sees an error and retries on its next pass.
      req.setTimeout(requestTimeoutMs, () => req.destroy(new Error(`${method} ${path}: no response within ${requestTimeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T extends ApiObject>(r: ResourceRef, namespace: string | undefined, name: string): Promise<T> {
    return this.request('GET', resourcePath(r, namespace, name));
  }

  /** get, or undefined when the object does not exist. */
  async find<T extends ApiObject>(r: ResourceRef, namespace: string | undefined, name: string): Promise<T | undefined> {
    try { return await this.get<T>(r, namespace, name); } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  list<T extends ApiObject>(r: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.request('GET', resourcePath(r, namespace) + query(opts));
  }

  /** Lists every page (limit/continue), as informers do, so a big collection never arrives as one body. */
  async listAll<T extends ApiObject>(r: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    const first = await this.list<T>(r, namespace, { limit: 500, ...opts });
    let cont = first.metadata.continue;
    while (cont) {
      const page = await this.list<T>(r, namespace, { ...opts, limit: 500, continue: cont });
      first.items.push(...page.items);
      cont = page.metadata.continue;
    }
    first.metadata.continue = undefined;
    return first;
  }

  create<T extends ApiObject>(r: ResourceRef, namespace: string | undefined, obj: T): Promise<T> {
    return this.request('POST', resourcePath(r, namespace), obj);
  }

  update<T extends ApiObject>(r: ResourceRef, obj: T): Promise<T> {
    return this.request('PUT', resourcePath(r, obj.metadata?.namespace, obj.metadata?.name), obj);
  }

  updateStatus<T extends ApiObject>(r: ResourceRef, obj: T): Promise<T> {
    return this.request('PUT', resourcePath(r, obj.metadata?.namespace, obj.metadata?.name, 'status'), obj);
  }

  patch<T extends ApiObject>(r: ResourceRef, namespace: string | undefined, name: string, patch: unknown,
    type: PatchType = 'merge', subresource?: string): Promise<T> {
    return this.request('PATCH', resourcePath(r, namespace, name, subresource), patch, patchContentType[type]);
  }

  delete(r: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<unknown> {
    const body = Object.keys(opts).length ? { apiVersion: 'v1', kind: 'DeleteOptions', ...opts } : undefined;
    return this.request('DELETE', resourcePath(r, namespace, name), body);
  }

  /** POST to a subresource such as pods/binding or pods/eviction. */
  createSubresource<T>(r: ResourceRef, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<T> {
    return this.request('POST', resourcePath(r, namespace, name, subresource), body);
  }

  close(): void { this.agent.destroy(); }
}

function query(opts: ListOptions): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

/** The errors of a request written to a pooled connection its peer had already closed. */
function isStaleConnection(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || (err instanceof Error && err.message === 'socket hang up');
}
