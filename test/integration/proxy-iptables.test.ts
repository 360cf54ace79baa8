// The suite cluster's `kubets proxy` on the real host iptables. Three HTTP servers run inside a network
// namespace this test creates (veth pair, addresses in 10.199.x.0/24), a selector-less Service points at
// them, and the host reaches them through the ClusterIP, a NodePort and a LoadBalancer address. Traffic
// is sent only after iptables-save shows the rules, so nothing for a ClusterIP ever leaves the machine.
// The namespace is deleted afterwards; the chains go with `kubets down` (the suite's teardown) and the
// Services' own chains are checked gone on delete here.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { hostIPv4 as hostAddress } from '../../src/host-address';
import { createNamespace, waitFor } from '../e2e/kubectl';
import { ok } from './http';
import { writeBackends } from './service-backends';

const tag = Math.random().toString(16).slice(2, 6);
const netns = `kubets-pt-${tag}`;
const hostVeth = `ktp${tag}h`;
const nsVeth = `ktp${tag}n`;
const subnet = `10.199.${Number.parseInt(tag.slice(0, 2), 16)}`;
const backends = [`${subnet}.2`, `${subnet}.3`, `${subnet}.4`];
let servers: ChildProcess | undefined;
let ns: string;

const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const natRules = () => sh('iptables-save', '-t', 'nat');

/** One HTTP GET on a fresh connection (so every request is a new conntrack entry); resolves with the body. */
function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout ${host}:${port}`)));
    req.on('error', reject);
  });
}

async function spread(host: string, port: number, n: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const who = await get(host, port);
    counts.set(who, (counts.get(who) ?? 0) + 1);
  }
  return counts;
}

/** The KUBE-SVC chain's rules for a service port, as iptables-save prints them. */
function svcRules(portName: string): string[] {
  return natRules().split('\n').filter((l) => /^-A KUBE-SVC-/.test(l) && l.includes(`--comment "${portName} -> `));
}

beforeAll(async () => {
  sh('ip', 'netns', 'add', netns);
  sh('ip', 'link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', nsVeth);
  sh('ip', 'link', 'set', nsVeth, 'netns', netns);
  sh('ip', 'addr', 'add', `${subnet}.1/24`, 'dev', hostVeth);
  sh('ip', 'link', 'set', hostVeth, 'up');
  for (const ip of backends) sh('ip', 'netns', 'exec', netns, 'ip', 'addr', 'add', `${ip}/24`, 'dev', nsVeth);
  sh('ip', 'netns', 'exec', netns, 'ip', 'link', 'set', nsVeth, 'up');
  sh('ip', 'netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up');
  sh('ip', 'netns', 'exec', netns, 'ip', 'route', 'add', 'default', 'via', `${subnet}.1`);
  // Each server answers with the address it was reached on: which backend served the request.
  const program = `const http=require('http');for(const ip of ${JSON.stringify(backends)})http.createServer((q,s)=>s.end(q.socket.localAddress)).listen(8080,ip);`;
  servers = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', program], { stdio: 'ignore' });
  await waitFor('backends listening', async () => (await get(backends[2], 8080)) === backends[2], 10_000);
  ns = await createNamespace('proxy');
});

afterAll(async () => {
  servers?.kill('SIGKILL');
  try { sh('ip', 'netns', 'del', netns); } catch { /* already gone */ }
  try { sh('ip', 'link', 'del', hostVeth); } catch { /* removed with the namespace */ }
});

async function createService(name: string, spec: Record<string, unknown>): Promise<{ spec: { clusterIP: string; ports: { nodePort?: number }[] } }> {
  return ok('POST', `/api/v1/namespaces/${ns}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec } });
}

describe('kubets proxy on the host iptables', () => {
  test('a ClusterIP with three backends: upstream\'s rules, and 300 requests spread 20-47% each', async () => {
    const svc = await createService('web', { ports: [{ name: 'http', port: 80, targetPort: 'web' }] });
    // The named target port 'web' is resolved by the endpoints controller: the slice carries the service port's name.
    await writeBackends(ns, 'web', backends.map((ip) => ({ ip })), [{ name: 'http', port: 8080 }]);
    const rules = await waitFor('3 endpoint rules', () => { const r = svcRules(`${ns}/web:http`); return r.length === 3 && r; }, 10_000);
    // iptables stores 1/3 and 1/2 as 32-bit fractions and prints them back with eleven decimals.
    expect(rules[0]).toContain('--probability 0.33333333349');
    expect(rules[1]).toContain('--probability 0.50000000000');
    expect(rules[2]).not.toContain('--probability');
    const counts = await spread(svc.spec.clusterIP, 80, 300);
    expect([...counts.keys()].sort()).toEqual([...backends].sort());
    for (const [, n] of counts) { expect(n).toBeGreaterThanOrEqual(60); expect(n).toBeLessThanOrEqual(141); }
  });

  test('scaling to one backend updates the rules within 2 s; deleting the Service removes its chains', async () => {
    const started = Date.now();
    await writeBackends(ns, 'web', [{ ip: backends[1] }], [{ name: 'http', port: 8080 }]);
    await waitFor('1 endpoint rule', () => svcRules(`${ns}/web:http`).length === 1, 2_000, 20);
    expect(Date.now() - started).toBeLessThan(2000);
    const svc = await ok<{ spec: { clusterIP: string } }>('GET', `/api/v1/namespaces/${ns}/services/web`);
    expect([...(await spread(svc.spec.clusterIP, 80, 20)).keys()]).toEqual([backends[1]]);
    await ok('DELETE', `/api/v1/namespaces/${ns}/services/web`);
    await waitFor('web chains gone', () => !natRules().includes(`"${ns}/web:http`), 5_000, 50);
  });

  test('NodePort reaches the backends from the host on the node address', async () => {
    const svc = await createService('np', { type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] });
    await writeBackends(ns, 'np', backends.map((ip) => ({ ip })), [{ port: 8080 }]);
    const nodePort = svc.spec.ports[0].nodePort!;
    await waitFor('node port rule', () => natRules().includes(`--comment "${ns}/np" -m tcp --dport ${nodePort}`), 10_000);
    const counts = await spread(hostAddress(), nodePort, 30);
    expect(counts.size).toBeGreaterThan(1);
    for (const who of counts.keys()) expect(backends).toContain(who);
  });

  test('LoadBalancer gets the node address as ingress and serves on it; ClientIP affinity sticks', async () => {
    await createService('lb', { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 8088, targetPort: 8080 }] });
    await writeBackends(ns, 'lb', backends.map((ip) => ({ ip })), [{ port: 8080 }]);
    const ingress = await waitFor('status.loadBalancer.ingress', async () => {
      const s = await ok<{ status?: { loadBalancer?: { ingress?: { ip: string }[] } } }>('GET', `/api/v1/namespaces/${ns}/services/lb`);
      return s.status?.loadBalancer?.ingress?.[0]?.ip;
    }, 10_000);
    expect(ingress).toBe(hostAddress());
    await waitFor('loadbalancer rule', () => natRules().includes(`"${ns}/lb loadbalancer IP"`), 10_000);
    const counts = await spread(ingress, 8088, 30);
    expect(counts.size).toBe(1);
    expect(backends).toContain([...counts.keys()][0]);
  });

  test('a Service without endpoints is REJECTed at once rather than sent off the machine', async () => {
    const svc = await createService('empty', { ports: [{ port: 80 }] });
    await waitFor('reject rule', () => sh('iptables-save', '-t', 'filter').includes(`"${ns}/empty has no endpoints"`), 10_000);
    await expect(get(svc.spec.clusterIP, 80)).rejects.toThrow(/ECONNREFUSED/);
  });
});
