// The componentstatuses source: probes each control-plane component where upstream 1.32 looks for it
// (scheduler and controller-manager /healthz on their secure ports, etcd through the apiserver's own
// client) and reports a Healthy condition per component, as upstream's componentstatus REST does.
import https from 'node:https';
import type { ComponentCondition, ComponentStatus } from 'kubernetes-types/core/v1';
import type { Etcd3 } from 'etcd3';
import type { KubeObject } from '../registry/resource-types';

/** Upstream's fixed endpoints for the two local components. */
const components: [string, string][] = [
  ['scheduler', 'https://127.0.0.1:10259/healthz'],
  ['controller-manager', 'https://127.0.0.1:10257/healthz'],
];
const probeTimeoutMs = 2000;

/** Go's net/http error text for the failures a probe meets (kubectl shows it in the ERROR column). */
function goHttpError(url: string, err: NodeJS.ErrnoException): string {
  const hostPort = new URL(url).host;
  if (err.code === 'ECONNREFUSED') return `Get "${url}": dial tcp ${hostPort}: connect: connection refused`;
  if (err.message.startsWith('timeout')) return `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
  return `Get "${url}": ${err.message}`;
}

function probeHttp(url: string): Promise<ComponentCondition> {
  return new Promise((resolve) => {
    // Upstream probes these with certificate verification off: they serve self-signed certificates.
    const req = https.get(url, { rejectUnauthorized: false, timeout: probeTimeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => {
        const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400;
        resolve(ok ? { type: 'Healthy', status: 'True', message: body }
          : { type: 'Healthy', status: 'False', message: body, error: `unhealthy http status ${res.statusCode}` });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${probeTimeoutMs}ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ type: 'Healthy', status: 'False', error: goHttpError(url, e) }));
  });
}

async function probeEtcd(etcd: Etcd3): Promise<ComponentCondition> {
  try {
    await Promise.race([
      etcd.get('health').exec(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('context deadline exceeded')), probeTimeoutMs)),
    ]);
    return { type: 'Healthy', status: 'True', message: 'ok' };
  } catch (e) {
    return { type: 'Healthy', status: 'False', error: (e as Error).message };
  }
}

function status(name: string, condition: ComponentCondition): KubeObject {
  const cs: ComponentStatus = { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name, creationTimestamp: null as unknown as string }, conditions: [condition] };
  return cs as KubeObject;
}

export async function componentStatuses(etcd: Etcd3): Promise<KubeObject[]> {
  const probes = components.map(async ([name, url]) => status(name, await probeHttp(url)));
  probes.push(probeEtcd(etcd).then((c) => status('etcd-0', c)));
  return Promise.all(probes);
}

/** The deprecation warning upstream attaches to every componentstatuses response. */
export const componentStatusWarning = 'v1 ComponentStatus is deprecated in v1.19+';
