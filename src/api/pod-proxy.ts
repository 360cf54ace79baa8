// pods/<name>/log, as upstream routes it: the apiserver checks the pod and container, finds the pod's
// node and streams the answer of that node's kubelet (/containerLogs over HTTPS, authenticated with the
// apiserver's kubelet client certificate).
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { Registry } from './registry';
import type { RequestInfo } from './request-info';
import { badRequest, statusError } from '../registry/errors';

export interface KubeletClientConfig { cert: Buffer; key: Buffer; ca: Buffer }

const LOG_PARAMS = ['follow', 'previous', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'limitBytes'];

export class PodProxy {
  private readonly agent: https.Agent;

  constructor(private readonly reg: Registry, kubelet: KubeletClientConfig) {
    this.agent = new https.Agent({ keepAlive: true, cert: kubelet.cert, key: kubelet.key, ca: kubelet.ca });
  }

  handles(info: RequestInfo): boolean {
    return info.apiGroup === '' && info.resource === 'pods' && info.subresource === 'log' && info.verb === 'get';
  }

  /** The node's kubelet endpoint, preferring its InternalIP as upstream's default address types do. */
  private async kubeletUrl(nodeName: string): Promise<string> {
    const node = await this.reg.storeFor('', 'v1', 'nodes').getObject(undefined, nodeName) as Node;
    const addrs = node.status?.addresses ?? [];
    const addr = ['InternalIP', 'Hostname', 'ExternalIP'].map((t) => addrs.find((a) => a.type === t)?.address).find(Boolean);
    const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
    if (!addr || !port) throw statusError(503, 'ServiceUnavailable', `node "${nodeName}" has no kubelet endpoint`);
    return `https://${addr.includes(':') ? `[${addr}]` : addr}:${port}`;
  }

  getPod(info: RequestInfo): Promise<Pod> {
    return this.reg.storeFor('', 'v1', 'pods').getObject(info.namespace, info.name) as Promise<Pod>;
  }

  /** The pod and the container a request names (its only container when none is named), as upstream validates them. */
  async podContainer(info: RequestInfo, q: URLSearchParams): Promise<{ pod: Pod; container: string }> {
    const pod = await this.getPod(info);
    const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
    let container = q.get('container') ?? '';
    if (!container) {
      if (pod.spec?.containers.length !== 1) {
        throw badRequest(`a container name must be specified for pod ${info.name}, choose one of: [${(pod.spec?.containers ?? []).map((c) => c.name).join(' ')}]`);
      }
      container = pod.spec.containers[0]!.name;
    }
    if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${info.name}`);
    return { pod, container };
  }

  /** The base URL of the kubelet running a pod. */
  async podKubeletUrl(pod: Pod, name: string): Promise<string> {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    return this.kubeletUrl(nodeName);
  }

  async serveLog(req: IncomingMessage, res: ServerResponse, info: RequestInfo, q: URLSearchParams): Promise<void> {
    const { pod, container } = await this.podContainer(info, q);
    const params = new URLSearchParams();
    for (const k of LOG_PARAMS) { const v = q.get(k); if (v !== null) params.set(k, v); }
    const url = `${await this.podKubeletUrl(pod, info.name)}/containerLogs/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}/${encodeURIComponent(container)}?${params}`;
    await new Promise<void>((resolve, reject) => {
      const out = https.get(url, { agent: this.agent, timeout: 30_000 }, (kr) => {
        if (kr.statusCode !== 200) {
          let body = '';
          kr.setEncoding('utf8');
          kr.on('data', (d: string) => { body += d; });
          kr.on('end', () => reject(kr.statusCode === 404 ? badRequest(body.trim()) : statusError(kr.statusCode ?? 500, 'BadRequest', body.trim())));
          return;
        }
        out.setTimeout(0);
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
        kr.pipe(res);
        kr.on('end', () => resolve());
        kr.on('error', () => resolve());
      });
      out.on('timeout', () => out.destroy(new Error('kubelet did not answer')));
      out.on('error', (e) => reject(statusError(500, 'InternalError', `Get "${url.split('?')[0]}": ${e.message}`)));
      res.on('close', () => out.destroy());
      void req;
    });
  }
}
