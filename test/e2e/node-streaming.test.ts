// Streaming end to end through the apiserver and the kubelet to real containerd, with stock kubectl:
// exec (WebSocket v5 and its SPDY fallback, exit codes, stdin, -c, -it under a pty with resize), cp both
// ways, port-forward (WebSocket tunnel and SPDY) and attach; and the kubelet refuses unauthenticated exec.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Node } from 'kubernetes-types/core/v1';
import { Background, KUBECTL, createNamespace, dataDir, kubeconfigPath, kubectl, kubectlBackground, kubectlOk, waitFor } from './kubectl';

let ns: string;
let node: string;
let tmp: string;

function nodeName(): string {
  const layout = JSON.parse(readFileSync(path.join(dataDir(), 'cluster.json'), 'utf8')) as { node?: { name?: string } };
  if (!layout.node?.name) throw new Error('cluster.json has no node: `up` did not start a kubelet');
  return layout.node.name;
}

const manifests = (): string => `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo hello-through-port-forward > /www/index.html && exec httpd -f -p 80 -h /www"]
    env: [{name: WHO, value: httpd}]
  - name: shell
    image: busybox
    command: ["sleep", "3600"]
    env: [{name: WHO, value: shell}]
---
apiVersion: v1
kind: Pod
metadata: {name: att}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
  - name: ticker
    image: busybox
    command: ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.5; done"]
  - name: echo
    image: busybox
    stdin: true
    command: ["sh", "-c", "while read l; do echo got $l; done"]
`;

/** kubectl with a stdin pipe we control (kept open until `done`), to read its output while it runs. */
function kubectlWithStdin(args: string[], stdin: string): { bg: Background; done: () => void } {
  const child = spawn(KUBECTL, ['--kubeconfig', kubeconfigPath(), ...args], { env: { ...process.env, HOME: dataDir() }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => undefined);
  child.stdin.write(stdin);
  return { bg: new Background(child), done: () => child.stdin.end() };
}

beforeAll(async () => {
  node = nodeName();
  tmp = mkdtempSync(path.join(dataDir(), 'streaming-'));
  ns = await createNamespace('e2e-stream');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: manifests() });
  await kubectlOk(['wait', '-n', ns, '--for=condition=Ready', 'pod/web', 'pod/att', '--timeout=60s'], { timeoutMs: 70_000 });
}, 90_000);

describe('kubectl exec', () => {
  it('runs a command and prints its stdout (WebSocket v5.channel.k8s.io)', async () => {
    const r = await kubectl(['exec', '-n', ns, 'web', '-c', 'shell', '-v=6', '--', 'cat', '/etc/hostname']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('web\n');
    expect(r.stderr).toMatch(/The subprotocol is v5\.channel\.k8s\.io/);
  });

  it('propagates a non-zero exit code as upstream does', async () => {
    const r = await kubectl(['exec', '-n', ns, 'web', '-c', 'shell', '--', 'sh', '-c', 'echo partial; exit 3']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('partial\n');
    expect(r.stderr).toContain('command terminated with exit code 3');
  });

  it('forwards stdin and delivers its end of file', async () => {
    const r = await kubectl(['exec', '-i', '-n', ns, 'web', '-c', 'shell', '--', 'sh', '-c', 'cat; echo after-eof'], { input: 'hi\nthere\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hi\nthere\nafter-eof\n');
  });

  it('keeps stdout and stderr apart', async () => {
    const r = await kubectl(['exec', '-n', ns, 'web', '-c', 'shell', '--', 'sh', '-c', 'echo to-out; echo to-err >&2']);
    expect(r.stdout).toBe('to-out\n');
    expect(r.stderr).toContain('to-err\n');
  });

  it('selects the container with -c, and defaults to the first one', async () => {
    expect(await kubectlOk(['exec', '-n', ns, 'web', '-c', 'shell', '--', 'sh', '-c', 'echo $WHO'])).toBe('shell\n');
    const d = await kubectl(['exec', '-n', ns, 'web', '--', 'sh', '-c', 'echo $WHO']);
    expect(d.stdout).toBe('httpd\n');
    expect(d.stderr).toContain('Defaulted container "httpd" out of: httpd, shell');
    const bad = await kubectl(['exec', '-n', ns, 'web', '-c', 'nope', '--', 'true']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('container nope is not valid for pod web');
  });

  it('works over SPDY when kubectl falls back to it', async () => {
    const r = await kubectl(['exec', '-i', '-n', ns, 'web', '-c', 'shell', '--', 'sh', '-c', 'cat; exit 4'],
      { input: 'over-spdy\n', env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('over-spdy\n');
    expect(r.stderr).toContain('command terminated with exit code 4');
  });

  it('refuses a request that is not an upgrade, as upstream does', async () => {
    const r = await kubectl(['create', '--raw', `/api/v1/namespaces/${ns}/pods/web/exec?command=true&stdout=true`, '-f', '-'], { input: '{}' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Upgrade request required');
  });

  it('-it gives the command a terminal of the client\'s size', async () => {
    // script(1) runs kubectl on a pty sized 30x100; its stdin stays open so no end-of-file reaches the pty.
    // The size travels on the resize stream after the process starts (CRI Exec carries none, upstream too),
    // so the command gives it a moment before reading it back.
    const cmd = `stty rows 30 cols 100; ${KUBECTL} --kubeconfig ${kubeconfigPath()} exec -it -n ${ns} web -c shell -- sh -c 'tty; sleep 1; stty size; echo done'`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, HOME: dataDir() }, stdio: ['pipe', 'pipe', 'pipe'] });
    const bg = new Background(child);
    const r = await bg.exited;
    child.stdin.end();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/dev\/pts\/\d+\r\n30 100\r\ndone\r\n$/);
  });
});

describe('kubectl cp', () => {
  it('copies a file into the pod and back, byte for byte', async () => {
    const data = randomBytes(300_000);
    const src = path.join(tmp, 'upload.bin');
    const back = path.join(tmp, 'download.bin');
    writeFileSync(src, data);
    await kubectlOk(['cp', '-n', ns, '-c', 'shell', src, 'web:/tmp/upload.bin']);
    const sum = createHash('sha256').update(data).digest('hex');
    expect((await kubectlOk(['exec', '-n', ns, 'web', '-c', 'shell', '--', 'sha256sum', '/tmp/upload.bin'])).split(' ')[0]).toBe(sum);
    await kubectlOk(['cp', '-n', ns, '-c', 'shell', 'web:/tmp/upload.bin', back]);
    expect(createHash('sha256').update(readFileSync(back)).digest('hex')).toBe(sum);
  });
});

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function portForwardServes(env?: Record<string, string>): Promise<void> {
  const pf = kubectlBackground(['port-forward', '-n', ns, 'pod/web', ':80'], env ? { env } : {});
  try {
    await pf.waitUntil('a forwarding line', (b) => /Forwarding from 127\.0\.0\.1:\d+ -> 80/.test(b.stdout));
    const port = Number(/127\.0\.0\.1:(\d+) -> 80/.exec(pf.stdout)![1]);
    expect(await httpGet(`http://127.0.0.1:${port}/index.html`)).toBe('hello-through-port-forward\n');
    expect(await httpGet(`http://127.0.0.1:${port}/index.html`)).toBe('hello-through-port-forward\n');
  } finally {
    await pf.stop();
  }
}

describe('kubectl port-forward', () => {
  it('reaches the pod\'s port over the WebSocket tunnel', () => portForwardServes());
  it('reaches the pod\'s port over SPDY', () => portForwardServes({ PORT_FORWARD_WEBSOCKETS: 'false' }));
});

describe('kubectl attach', () => {
  it('streams a running container\'s output', async () => {
    const a = kubectlBackground(['attach', '-n', ns, 'att', '-c', 'ticker']);
    try {
      await a.waitUntil('two ticks', (b) => (b.stdout.match(/tick \d+\n/g) ?? []).length >= 2);
    } finally {
      await a.stop();
    }
  });

  it('-i writes to the container\'s stdin', async () => {
    const { bg, done } = kubectlWithStdin(['attach', '-i', '-n', ns, 'att', '-c', 'echo'], 'first\nsecond\n');
    try {
      await bg.waitUntil('the echoes', (b) => b.stdout.includes('got first\ngot second\n'));
    } finally {
      done();
      await bg.stop();
    }
  });
});

describe('the kubelet', () => {
  it('refuses exec to a client without a certificate from the cluster CA', async () => {
    const n = JSON.parse(await kubectlOk(['get', 'node', node, '-o', 'json'])) as Node;
    const addr = n.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
    const port = n.status!.daemonEndpoints!.kubeletEndpoint!.Port;
    const code = await waitFor('the kubelet answer', () => new Promise<number>((resolve, reject) => {
      const req = https.request({ host: addr, port, method: 'POST', rejectUnauthorized: false,
        path: `/exec/${ns}/web/shell?command=true&output=1`,
        headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'v4.channel.k8s.io' } });
      req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    }));
    expect(code).toBe(401);
  });
});
