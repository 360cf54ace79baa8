// Readiness probes for `up`: etcd's /health over plain HTTP and the apiserver's /readyz over HTTPS,
// trusting only the cluster CA (the same check kubectl will make).
import http from 'node:http';
import https from 'node:https';
import { queryUdp } from '../node/dns/dns-client';

interface Reply { status: number; body: string }

function get(url: string, ca?: Buffer | string, timeoutMs = 2000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const onResponse = (res: http.IncomingMessage): void => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    };
    const req = u.protocol === 'https:'
      ? https.get(u, { ca, timeout: timeoutMs, agent: false }, onResponse)
      : http.get(u, { timeout: timeoutMs, agent: false }, onResponse);
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs}ms`)));
    req.on('error', reject);
  });
}

/** etcd answers {"health":"true"} on its client URL once it has a leader. */
export async function etcdHealthy(clientUrl: string): Promise<boolean> {
  const r = await get(new URL('/health', clientUrl).toString());
  if (r.status !== 200) return false;
  try { return (JSON.parse(r.body) as { health?: string }).health === 'true'; } catch { return false; }
}

export async function apiserverReady(server: string, caPem: string): Promise<boolean> {
  const r = await get(new URL('/readyz', server).toString(), caPem);
  return r.status === 200 && r.body.trim() === 'ok';
}

/** The cluster DNS answers its own zone's SOA once its informers have listed. */
export async function dnsAnswering(address: string, port: number): Promise<boolean> {
  const r = await queryUdp(address, port, 'cluster.local', 'SOA', 1000);
  return r.rcode === 'NOERROR';
}
