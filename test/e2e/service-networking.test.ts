// Services from real pods on the suite's node (real containerd, the kubets proxy's iptables rules, the
// kubets DNS): busybox nslookup through the kube-dns ClusterIP, three busybox httpd replicas behind a
// ClusterIP and a NodePort reached from another pod and from the host, and a scale-down reaching iptables.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { hostIPv4 } from '../../src/host-address';
import { createNamespace, kubectl, kubectlOk, waitFor } from './kubectl';

let ns: string;
let clusterIP: string;
let nodePort: number;

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: busybox
        # Each backend answers with its own pod name.
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /index.html, port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec: {type: NodePort, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec: {clusterIP: None, selector: {app: web}, ports: [{name: http, port: 8080}]}
`;

// Created once the Services exist, so the kubelet has seen them when it builds the container's environment.
const clientPod = `apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`;

const exec = (script: string, timeoutMs = 60_000): Promise<string> =>
  kubectlOk(['exec', '-n', ns, 'client', '--', 'sh', '-c', script], { timeoutMs });

/** Pod names of the web replicas that are ready, with their IPs, from the EndpointSlices. */
async function readyBackends(): Promise<Map<string, string>> {
  const list = JSON.parse(await kubectlOk(['get', 'endpointslices', '-n', ns, '-l', 'kubernetes.io/service-name=web', '-o', 'json'])) as { items: EndpointSlice[] };
  const out = new Map<string, string>();
  for (const s of list.items) {
    for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false && e.targetRef?.name) out.set(e.targetRef.name, e.addresses[0]!);
  }
  return out;
}

/** The endpoints the proxy's nat rules spread the web Service's ClusterIP over (ip:port). */
function iptablesEndpoints(): string[] {
  const save = execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' });
  const marker = `--comment "${ns}/web:http -> `;
  return save.split('\n').filter((l) => /^-A KT\w+-SVC-/.test(l) && l.includes(marker))
    .map((l) => l.slice(l.indexOf(marker) + marker.length).split('"')[0]!);
}

function hostGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A new connection per request, so that each one is balanced afresh.
    const req = http.get(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

function counts(names: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of names) m.set(n, (m.get(n) ?? 0) + 1);
  return m;
}

/** All three backends answered, each between 20% and 47% of the requests. */
function expectSpread(answers: string[], backends: string[]): void {
  const c = counts(answers);
  expect(answers).toHaveLength(300);
  expect([...c.keys()].sort()).toEqual([...backends].sort());
  for (const b of backends) {
    expect(c.get(b)!).toBeGreaterThanOrEqual(60);
    expect(c.get(b)!).toBeLessThanOrEqual(141);
  }
}

beforeAll(async () => {
  ns = await createNamespace('e2e-svc');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: manifests });
  await waitFor('three ready web backends', async () => (await readyBackends()).size === 3, 90_000, 500);
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: clientPod });
  await waitFor('client pod running', async () =>
    (await kubectlOk(['get', 'pod', 'client', '-n', ns, '-o', 'jsonpath={.status.phase}'])) === 'Running', 90_000, 500);
  const svc = JSON.parse(await kubectlOk(['get', 'svc', 'web', '-n', ns, '-o', 'json'])) as Service;
  clusterIP = svc.spec!.clusterIP!;
  const np = JSON.parse(await kubectlOk(['get', 'svc', 'web-np', '-n', ns, '-o', 'json'])) as Service;
  nodePort = np.spec!.ports![0]!.nodePort!;
  await waitFor('the proxy\'s rules for three endpoints', () => iptablesEndpoints().length === 3, 30_000, 200);
}, 200_000);

describe('cluster DNS from a pod', () => {
  it('resolv.conf points at the kube-dns ClusterIP with the namespace search path and ndots:5', async () => {
    const conf = await exec('cat /etc/resolv.conf');
    expect(conf).toMatch(/^nameserver 10\.96\.0\.10$/m);
    expect(conf).toMatch(new RegExp(`^search ${ns}\\.svc\\.cluster\\.local svc\\.cluster\\.local cluster\\.local`, 'm'));
    expect(conf).toMatch(/^options ndots:5$/m);
  });

  // busybox nslookup exits 1 when any search-path expansion is NXDOMAIN, so its answer section is what counts.
  const lookup = (name: string) => exec(`nslookup ${name} 2>&1; true`);

  it('resolves a Service\'s short name and its FQDN to the ClusterIP', async () => {
    for (const name of ['web', `web.${ns}.svc.cluster.local`]) {
      const out = await lookup(name);
      expect(out).toMatch(/^Server:\s+10\.96\.0\.10$/m);
      expect(out).toContain(`Name:\tweb.${ns}.svc.cluster.local\nAddress: ${clusterIP}\n`);
    }
  });

  it('resolves a headless Service to the ready pods\' IPs', async () => {
    const ips = [...(await readyBackends()).values()].sort();
    const out = await lookup(`web-headless.${ns}.svc.cluster.local`);
    const answered = [...out.matchAll(/^Address: (10\.\S+)$/gm)].map((m) => m[1]!).sort();
    expect(answered).toEqual(ips);
  });

  it('answers NXDOMAIN for a Service that does not exist', async () => {
    expect(await lookup(`nothing-here.${ns}.svc.cluster.local`)).toContain(`can't find nothing-here.${ns}.svc.cluster.local: NXDOMAIN`);
  });
});

describe('service environment variables', () => {
  it('a pod started after its namespace\'s Services gets their variables and the kubernetes Service\'s', async () => {
    const env = await exec('env');
    expect(env).toMatch(new RegExp(`^WEB_SERVICE_HOST=${clusterIP.replace(/\./g, '\\.')}$`, 'm'));
    expect(env).toMatch(/^WEB_SERVICE_PORT=80$/m);
    expect(env).toMatch(/^WEB_SERVICE_PORT_HTTP=80$/m);
    expect(env).toContain(`WEB_PORT_80_TCP=tcp://${clusterIP}:80`);
    expect(env).toMatch(/^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m);
    expect(env).toMatch(/^KUBERNETES_SERVICE_PORT=443$/m);
    // A headless Service has no address to give.
    expect(env).not.toMatch(/^WEB_HEADLESS_SERVICE_HOST=/m);
  });
});

describe('ClusterIP and NodePort load balancing', () => {
  it('spreads 300 requests from another pod over the three backends', async () => {
    const backends = [...(await readyBackends()).keys()];
    // busybox wget -T crashes; `timeout` bounds each request instead.
    const out = await exec('for i in $(seq 300); do timeout 5 wget -q -O- http://web/; done', 180_000);
    expectSpread(out.split('\n').map((l) => l.trim()).filter(Boolean), backends);
  }, 200_000);

  it('spreads 300 requests from the host through the ClusterIP', async () => {
    const backends = [...(await readyBackends()).keys()];
    const answers: string[] = [];
    for (let i = 0; i < 300; i++) answers.push(await hostGet(`http://${clusterIP}/`));
    expectSpread(answers, backends);
  }, 120_000);

  it('reaches the backends from the host through the NodePort on the node address', async () => {
    const backends = new Set((await readyBackends()).keys());
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add(await hostGet(`http://${hostIPv4()}:${nodePort}/`));
    expect(seen).toEqual(backends);
  }, 60_000);

  it('scaling to one replica reaches iptables within 2 s of the endpoints changing', async () => {
    await kubectlOk(['scale', 'deployment/web', '-n', ns, '--replicas=1']);
    const left = await waitFor('one ready backend in the EndpointSlices', async () => {
      const b = await readyBackends();
      return b.size === 1 ? b : undefined;
    }, 60_000, 50);
    const changedAt = Date.now();
    const [name, ip] = [...left][0]!;
    await waitFor('the proxy\'s rules for one endpoint', () => {
      const eps = iptablesEndpoints();
      return eps.length === 1 && eps[0] === `${ip}:8080`;
    }, 10_000, 50);
    expect(Date.now() - changedAt).toBeLessThan(2000);
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push(await hostGet(`http://${clusterIP}/`));
    expect(new Set(answers)).toEqual(new Set([name]));
  }, 90_000);
});

afterAll(async () => {
  // Pods hold the node's resources: remove this file's workloads (the namespace itself stays).
  await kubectl(['delete', 'deployment/web', 'pod/client', '-n', ns, '--wait=false']);
});
