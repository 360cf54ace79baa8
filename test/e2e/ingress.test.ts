// The built-in ingress controller end to end: real backends are tiny HTTP servers inside network
// namespaces this test creates (no kubelet on this branch), reached over veth pairs in 10.250.X.0/24.
// Services and Endpoints/EndpointSlices are written through the API by the test, standing in for the
// endpoints and endpointslice controllers; a stock-kubectl Ingress with two hosts and two paths each is
// then asserted with curl from the host (plain HTTP and TLS from a Secret), and its status.loadBalancer.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hostIPv4 as hostAddress } from '../../src/host-address';
import { createNamespace, dataDir, kubectlOk, waitFor } from './kubectl';

interface Echo { name: string; url: string; headers: Record<string, string> }

const BACKEND_PORT = 8080;
const tag = Math.random().toString(36).slice(2, 6);
const backends = ['a', 'b'].map((id) => ({ id, netns: `kts-ing-${tag}-${id}`, hostIf: `ktsi${tag}${id}`, nsIf: `ktsi${tag}${id}p` }));
const servers: ChildProcess[] = [];
let subnet = '';
let ns = '';
let httpPort = 0;
let httpsPort = 0;
let scratch = '';

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A /24 in 10.250.0.0/16 that no route on this host touches yet. */
function freeSubnet(): string {
  const routes = sh('ip', ['-4', 'route', 'show']);
  for (let i = 0; i < 50; i++) {
    const x = 1 + Math.floor(Math.random() * 250);
    if (!routes.includes(`10.250.${x}.`)) return `10.250.${x}`;
  }
  throw new Error('no free 10.250.x.0/24 subnet');
}

const ipOf = (i: number): string => `${subnet}.${2 + i * 4}`;

/** curl from the host with the name resolved to 127.0.0.1, as a client of the node would call it. */
function curl(scheme: 'http' | 'https', host: string, urlPath: string, extra: string[] = []): { code: number; body: string } {
  const port = scheme === 'http' ? httpPort : httpsPort;
  const r = spawnSync('curl', ['-sS', '--max-time', '10', '--resolve', `${host}:${port}:127.0.0.1`, '-o', '-', '-w', '\n%{http_code}',
    ...extra, `${scheme}://${host}:${port}${urlPath}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`curl ${scheme}://${host}:${port}${urlPath} failed (${r.status}): ${r.stderr}`);
  const nl = r.stdout.lastIndexOf('\n');
  return { code: Number(r.stdout.slice(nl + 1)), body: r.stdout.slice(0, nl) };
}

function echo(scheme: 'http' | 'https', host: string, urlPath: string, extra: string[] = []): Echo {
  const r = curl(scheme, host, urlPath, extra);
  if (r.code !== 200) throw new Error(`${scheme}://${host}${urlPath}: ${r.code} ${r.body}`);
  return JSON.parse(r.body) as Echo;
}

beforeAll(async () => {
  const layout = JSON.parse(readFileSync(path.join(dataDir(), 'cluster.json'), 'utf8')) as { ingress?: { httpPort: number; httpsPort: number } };
  if (!layout.ingress) throw new Error('cluster.json records no ingress ports');
  ({ httpPort, httpsPort } = layout.ingress);
  subnet = freeSubnet();
  // Each backend namespace gets a /30 of the /24: host side .1+4i, namespace side .2+4i.
  backends.forEach((b, i) => {
    sh('ip', ['netns', 'add', b.netns]);
    sh('ip', ['link', 'add', b.hostIf, 'type', 'veth', 'peer', 'name', b.nsIf]);
    sh('ip', ['link', 'set', b.nsIf, 'netns', b.netns]);
    sh('ip', ['addr', 'add', `${subnet}.${1 + i * 4}/30`, 'dev', b.hostIf]);
    sh('ip', ['link', 'set', b.hostIf, 'up']);
    sh('ip', ['netns', 'exec', b.netns, 'ip', 'addr', 'add', `${ipOf(i)}/30`, 'dev', b.nsIf]);
    sh('ip', ['netns', 'exec', b.netns, 'ip', 'link', 'set', b.nsIf, 'up']);
    sh('ip', ['netns', 'exec', b.netns, 'ip', 'link', 'set', 'lo', 'up']);
    const script = `require('http').createServer((q, s) => { s.setHeader('content-type', 'application/json');`
      + ` s.end(JSON.stringify({ name: ${JSON.stringify(b.id)}, url: q.url, headers: q.headers })); }).listen(${BACKEND_PORT}, ${JSON.stringify(ipOf(i))});`;
    servers.push(spawn('ip', ['netns', 'exec', b.netns, process.execPath, '-e', script], { stdio: 'ignore' }));
  });
  for (let i = 0; i < backends.length; i++) {
    await waitFor(`backend ${backends[i]!.id} listening`, () =>
      spawnSync('curl', ['-s', '--max-time', '2', `http://${ipOf(i)}:${BACKEND_PORT}/`], { encoding: 'utf8' }).stdout.includes('"name"'), 15_000, 200);
  }

  ns = await createNamespace('e2e-ingress');
  scratch = mkdtempSync(path.join(dataDir(), 'ingress-'));
  // svc-a: a named port, endpoints through a core/v1 Endpoints object (standing in for the endpoints controller).
  // svc-b: an unnamed port, endpoints through an EndpointSlice (standing in for the endpointslice controller).
  // svc-both: both backends, for round-robin. svc-empty: no endpoints at all.
  const service = (name: string, port: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports:\n  - ${port}\n`;
  await kubectlOk(['apply', '-n', ns, '-f', '-'], {
    input: [
      service('svc-a', `{name: http, port: 80, targetPort: ${BACKEND_PORT}}`),
      service('svc-b', `{port: 8000, targetPort: ${BACKEND_PORT}}`),
      service('svc-both', `{name: web, port: 80, targetPort: ${BACKEND_PORT}}`),
      service('svc-empty', `{port: 80}`),
      `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: svc-a\nsubsets:\n- addresses: [{ip: ${ipOf(0)}}]\n  ports: [{name: http, port: ${BACKEND_PORT}}]\n`,
      `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: svc-both\nsubsets:\n- addresses: [{ip: ${ipOf(0)}}, {ip: ${ipOf(1)}}]\n  ports: [{name: web, port: ${BACKEND_PORT}}]\n`,
      `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: svc-b-1\n  labels: {kubernetes.io/service-name: svc-b}\naddressType: IPv4\n`
        + `ports: [{name: "", port: ${BACKEND_PORT}, protocol: TCP}]\nendpoints:\n- addresses: [${ipOf(1)}]\n  conditions: {ready: true}\n`,
    ].join('---\n'),
  });

  const key = path.join(scratch, 'tls.key');
  const crt = path.join(scratch, 'tls.crt');
  sh('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', key, '-out', crt,
    '-subj', '/CN=a.example.test', '-addext', 'subjectAltName=DNS:a.example.test']);
  await kubectlOk(['create', 'secret', 'tls', 'tls-a', '-n', ns, '--cert', crt, '--key', key]);

  // No ingressClassName: the DefaultIngressClass admission assigns the default class, kubets.
  await kubectlOk(['apply', '-n', ns, '-f', '-'], {
    input: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  tls:
  - hosts: [a.example.test]
    secretName: tls-a
  rules:
  - host: a.example.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: svc-a, port: {name: http}}}}
      - {path: /b, pathType: Prefix, backend: {service: {name: svc-b, port: {number: 8000}}}}
      - {path: /empty, pathType: Exact, backend: {service: {name: svc-empty, port: {number: 80}}}}
  - host: '*.b.example.test'
    http:
      paths:
      - {path: /exact, pathType: Exact, backend: {service: {name: svc-a, port: {number: 80}}}}
      - {path: /, pathType: ImplementationSpecific, backend: {service: {name: svc-b, port: {number: 8000}}}}
  - host: rr.example.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: svc-both, port: {name: web}}}}
`,
  });
  await waitFor('the ingress controller routing a.example.test', () => {
    const r = curl('http', 'a.example.test', '/');
    return r.code === 200 && r.body.includes('"name":"a"');
  }, 30_000, 250);
}, 120_000);

afterAll(() => {
  for (const s of servers) s.kill('SIGKILL');
  for (const b of backends) {
    // Deleting the namespace deletes its end of the veth pair and with it the host's end.
    spawnSync('ip', ['netns', 'del', b.netns]);
    spawnSync('ip', ['link', 'del', b.hostIf]);
  }
});

describe('kubets ingress controller', () => {
  test('the Ingress got the default class kubets and status.loadBalancer holds the node address', async () => {
    expect(await kubectlOk(['get', 'ingress', 'web', '-n', ns, '-o', 'jsonpath={.spec.ingressClassName}'])).toBe('kubets');
    const ip = await waitFor('status.loadBalancer.ingress', async () =>
      (await kubectlOk(['get', 'ingress', 'web', '-n', ns, '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}'])) || undefined, 20_000, 250);
    expect(ip).toBe(hostAddress());
    const row = (await kubectlOk(['get', 'ingress', 'web', '-n', ns, '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 5)).toEqual(['web', 'kubets', 'a.example.test,*.b.example.test,rr.example.test', hostAddress(), '80,']);
  });

  test('hosts and paths reach the right Services over HTTP, with X-Forwarded headers', () => {
    const root = echo('http', 'a.example.test', '/some/page?q=1');
    expect(root.name).toBe('a');
    expect(root.url).toBe('/some/page?q=1');
    expect(root.headers).toMatchObject({
      host: `a.example.test:${httpPort}`, 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http',
      'x-forwarded-host': `a.example.test:${httpPort}`,
    });
    expect(echo('http', 'a.example.test', '/b').name).toBe('b');
    expect(echo('http', 'a.example.test', '/b/deeper').name).toBe('b');
    // Prefix matches whole path elements: /bee is not under /b.
    expect(echo('http', 'a.example.test', '/bee').name).toBe('a');
    expect(echo('http', 'x.b.example.test', '/exact').name).toBe('a');
    expect(echo('http', 'x.b.example.test', '/exact/more').name).toBe('b');
    expect(echo('http', 'y.b.example.test', '/').name).toBe('b');
  });

  test('no rule: 404 from the default backend; a wildcard covers one label only; no endpoints: 503', () => {
    expect(curl('http', 'unknown.example.test', '/')).toEqual({ code: 404, body: 'default backend - 404\n' });
    expect(curl('http', 'z.y.b.example.test', '/').code).toBe(404);
    const empty = curl('http', 'a.example.test', '/empty');
    expect(empty.code).toBe(503);
    expect(empty.body).toContain(`no endpoints for service ${ns}/svc-empty`);
  });

  test('endpoints of one Service are taken round-robin', () => {
    const names = Array.from({ length: 4 }, () => echo('http', 'rr.example.test', '/').name);
    expect(names.sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  test('TLS: the Secret certificate is served for its host (SNI) and the request is routed', () => {
    const crt = path.join(scratch, 'tls.crt');
    const r = echo('https', 'a.example.test', '/b', ['--cacert', crt]);
    expect(r.name).toBe('b');
    expect(r.headers['x-forwarded-proto']).toBe('https');
    // Another name gets the controller's own self-signed certificate, which the Secret's CA does not vouch for.
    const other = spawnSync('curl', ['-sS', '--max-time', '10', '--cacert', crt, '--resolve', `x.b.example.test:${httpsPort}:127.0.0.1`,
      `https://x.b.example.test:${httpsPort}/`], { encoding: 'utf8' });
    expect(other.status).not.toBe(0);
    const subject = spawnSync('sh', ['-c', `openssl s_client -connect 127.0.0.1:${httpsPort} -servername x.b.example.test </dev/null 2>/dev/null | openssl x509 -noout -subject`], { encoding: 'utf8' });
    expect(subject.stdout).toContain('Kubernetes Ingress Controller Fake Certificate');
  });

  test('an endpoint change is followed without a restart: svc-a moves to backend b', async () => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], {
      input: `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: svc-a\nsubsets:\n- addresses: [{ip: ${ipOf(1)}}]\n  ports: [{name: http, port: ${BACKEND_PORT}}]\n`,
    });
    await waitFor('svc-a served by backend b', () => echo('http', 'a.example.test', '/').name === 'b', 10_000, 100);
  });
});
