// Process management against real binaries: the supervisor with a real etcd (start, recognise, adopt,
// restart, stop), then `kubets up`/`kubets down` end to end on a second throwaway cluster, and a re-run of
// `up` on the suite's cluster, which must leave it alone.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { isPortFree, probeFreePorts, type ClusterLayout } from '../../src/cmd/cluster-layout';
import { canProgramIptables, etcdProcess } from '../../src/cmd/components';
import { etcdHealthy } from '../../src/cmd/probes';
import {
  cmdlineOf, ensureRunning, inspect, logFile, pidFile, readPid, runDirs, startProcess, stopProcess, waitReady, type ProcessSpec,
} from '../../src/cmd/supervisor';

const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli.js');

function layoutFor(dataDir: string, clientPort: number, peerPort: number): ClusterLayout {
  return {
    version: 1, dataDir, context: 'unused', apiserverPort: 0, server: '', kubeconfig: '', processes: {}, updatedAt: '',
    etcd: { embedded: true, servers: [`http://127.0.0.1:${clientPort}`], clientPort, peerPort },
  };
}

describe('supervisor with a real etcd', () => {
  let dataDir: string;
  let spec: ProcessSpec;
  let client: string;
  let clientPort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'kubets-sup-'));
    const [c, p] = await probeFreePorts(2);
    clientPort = c!;
    client = `http://127.0.0.1:${clientPort}`;
    spec = etcdProcess(layoutFor(dataDir, c!, p!));
  });
  afterAll(async () => {
    await stopProcess(runDirs(dataDir), 'etcd', 2000, spec.identity);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const put = async (key: string, value: string): Promise<void> => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const r = await fetch(`${client}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(value) }) });
    expect(r.status).toBe(200);
  };
  const get = async (key: string): Promise<string | undefined> => {
    const r = await fetch(`${client}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: Buffer.from(key).toString('base64') }) });
    const body = (await r.json()) as { kvs?: { value: string }[] };
    return body.kvs?.[0] ? Buffer.from(body.kvs[0].value, 'base64').toString() : undefined;
  };

  test('starts detached, logs to its file, records its pid and listens on 127.0.0.1 only', async () => {
    const dirs = runDirs(dataDir);
    const r = await ensureRunning(dirs, spec);
    expect(r.action).toBe('started');
    expect(readPid(pidFile(dirs, 'etcd'))).toBe(r.pid);
    expect(readFileSync(logFile(dirs, 'etcd'), 'utf8')).toContain('kubets up: starting');
    expect(await etcdHealthy(client)).toBe(true);
    // Detached: its own session, so a terminal's Ctrl-C or the end of `up` does not reach it.
    const stat = readFileSync(`/proc/${r.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(fields[3])).toBe(r.pid); // session id == pid
    expect(cmdlineOf(r.pid)).toEqual(expect.arrayContaining([`--listen-client-urls`, client]));
    await put('/kubets-test/a', '1');
  });

  test('a second ensureRunning keeps the live process', async () => {
    const dirs = runDirs(dataDir);
    const before = readPid(pidFile(dirs, 'etcd'));
    const r = await ensureRunning(dirs, spec);
    expect(r).toEqual({ pid: before, action: 'kept' });
  });

  test('a lost or recycled pid file is not trusted; the live etcd is adopted by its identity', async () => {
    const dirs = runDirs(dataDir);
    const pid = readPid(pidFile(dirs, 'etcd'))!;
    rmSync(pidFile(dirs, 'etcd'));
    expect(inspect(dirs, 'etcd')).toEqual({ kind: 'absent' });
    expect((await ensureRunning(dirs, spec)).pid).toBe(pid);
    writeFileSync(pidFile(dirs, 'etcd'), '1\n'); // pid 1 is alive but certainly not our etcd
    expect(inspect(dirs, 'etcd')).toEqual({ kind: 'absent' });
    expect(await ensureRunning(dirs, spec)).toEqual({ pid, action: 'kept' });
    expect(readPid(pidFile(dirs, 'etcd'))).toBe(pid);
  });

  test('a dead process is started again, on the same data', async () => {
    const dirs = runDirs(dataDir);
    const pid = readPid(pidFile(dirs, 'etcd'))!;
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && cmdlineOf(pid); i++) await new Promise((r) => setTimeout(r, 100));
    const r = await ensureRunning(dirs, spec);
    expect(r.action).toBe('started');
    expect(r.pid).not.toBe(pid);
    expect(await get('/kubets-test/a')).toBe('1');
  });

  test('stopProcess sends SIGTERM, frees the port and removes the pid file', async () => {
    const dirs = runDirs(dataDir);
    const pid = readPid(pidFile(dirs, 'etcd'))!;
    expect(await stopProcess(dirs, 'etcd')).toBe('stopped');
    expect(cmdlineOf(pid)).toBeUndefined();
    expect(existsSync(pidFile(dirs, 'etcd'))).toBe(false);
    expect(await isPortFree(clientPort)).toBe(true);
    expect(await stopProcess(dirs, 'etcd')).toBe('not-running');
  });

  test('a process that dies before it is ready fails fast with its log', async () => {
    const dirs = runDirs(dataDir);
    const bad: ProcessSpec = { ...spec, name: 'etcd-bad', argv: [spec.argv[0]!, '--no-such-flag', dataDir], readyTimeoutMs: 20_000 };
    const started = Date.now();
    const pid = startProcess(dirs, bad);
    await expect(waitReady(dirs, bad, pid)).rejects.toThrow(/exited before becoming ready[\s\S]*no-such-flag/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

function kubets(args: string[], home: string): { code: number; out: string } {
  const r = spawnSync('node', [cli, ...args], { env: { ...process.env, HOME: home }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

function httpsGet(url: string, opts: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https.get(url, { ...opts, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const haveCli = existsSync(cli);
(haveCli ? describe : describe.skip)('kubets up / down on a throwaway cluster', () => {
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'kubets-up-'));
    [port] = await probeFreePorts(1) as [number];
  });
  afterAll(() => {
    kubets(['down', '--data-dir', dataDir, '--purge'], dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('up starts etcd and the apiserver, writes the kubeconfig and merges it under HOME', async () => {
    const r = kubets(['up', '--data-dir', dataDir, '--apiserver-port', String(port), '--context', 'kubets-uptest'], dataDir);
    expect(r.out).toMatch(/etcd started/);
    expect(r.code).toBe(0);
    const layout = JSON.parse(readFileSync(path.join(dataDir, 'cluster.json'), 'utf8')) as ClusterLayout;
    expect(layout).toMatchObject({ apiserverPort: port, context: 'kubets-uptest', server: `https://127.0.0.1:${port}` });
    expect(layout.etcd.embedded).toBe(true);
    // etcd, the apiserver, the API clients, the node (containerd and the kubelet), DNS, the proxy, the ingress.
    expect(Object.keys(layout.processes)).toEqual(['etcd', 'apiserver', 'controller-manager', 'scheduler', 'containerd', 'kubelet', 'dns',
      ...(canProgramIptables() ? ['proxy'] : []), 'ingress']);
    expect(layout.dns?.address).toBe('127.0.0.1');
    // A non-default cluster's ingress ports are never the default cluster's 80/443, and up says which it chose.
    expect(layout.ingress).toBeDefined();
    expect([layout.ingress!.httpPort, layout.ingress!.httpsPort]).not.toContain(80);
    expect(r.out).toContain(`ingress class "kubets" served on http port ${layout.ingress!.httpPort}, https port ${layout.ingress!.httpsPort}`);

    const cfg = parse(readFileSync(path.join(dataDir, 'kubeconfig'), 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
    };
    const ca = Buffer.from(cfg.clusters[0]!.cluster['certificate-authority-data'], 'base64');
    const cert = Buffer.from(cfg.users[0]!.user['client-certificate-data'], 'base64');
    const key = Buffer.from(cfg.users[0]!.user['client-key-data'], 'base64');
    const url = `${cfg.clusters[0]!.cluster.server}/api/v1/namespaces`;
    expect((await httpsGet(url, { ca, cert, key })).status).toBe(200);
    const token = readFileSync(path.join(dataDir, 'pki', 'tokens.csv'), 'utf8').split(',')[0]!;
    expect((await httpsGet(url, { ca, headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await httpsGet(url, { ca })).status).toBe(401);

    const merged = parse(readFileSync(path.join(dataDir, '.kube', 'config'), 'utf8')) as { 'current-context': string };
    expect(merged['current-context']).toBe('kubets-uptest');
    const ns = execFileSync('/usr/bin/kubectl', ['--kubeconfig', path.join(dataDir, 'kubeconfig'), 'get', 'ns', '-o', 'name'],
      { encoding: 'utf8', env: { ...process.env, HOME: dataDir } });
    expect(ns).toContain('namespace/default');
  });

  test('re-running up keeps live processes and restarts a dead one', () => {
    const dirs = runDirs(dataDir);
    const etcdPid = readPid(pidFile(dirs, 'etcd'));
    const apiPid = readPid(pidFile(dirs, 'apiserver'))!;
    process.kill(apiPid, 'SIGKILL');
    const r = kubets(['up', '--data-dir', dataDir], dataDir); // port and context come from cluster.json
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/etcd already running/);
    expect(r.out).toMatch(/apiserver started/);
    expect(readPid(pidFile(dirs, 'etcd'))).toBe(etcdPid);
    expect(readPid(pidFile(dirs, 'apiserver'))).not.toBe(apiPid);
  });

  test('down stops everything; down --purge removes the data dir and the merged context', async () => {
    const dirs = runDirs(dataDir);
    const pids = [readPid(pidFile(dirs, 'etcd'))!, readPid(pidFile(dirs, 'apiserver'))!];
    const r = kubets(['down', '--data-dir', dataDir, '--apiserver-port', String(port)], dataDir);
    expect(r.code).toBe(0);
    for (const pid of pids) expect(cmdlineOf(pid)).toBeUndefined();
    expect(await isPortFree(port)).toBe(true);
    expect(existsSync(path.join(dataDir, 'cluster.json'))).toBe(true);

    const p = kubets(['down', '--data-dir', dataDir, '--purge'], dataDir);
    expect(p.code).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });
});

const suiteDir = process.env.KUBETS_TEST_DATA_DIR;
(haveCli && suiteDir ? describe : describe.skip)('kubets up on the suite cluster', () => {
  test('is harmless: both processes are left running as they are', () => {
    const dirs = runDirs(suiteDir!);
    const before = ['etcd', 'apiserver'].map((n) => readPid(pidFile(dirs, n)));
    const r = kubets(['up', '--data-dir', suiteDir!, '--apiserver-port', process.env.KUBETS_TEST_PORT!, '--context', 'kubets-test'], suiteDir!);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/etcd already running[\s\S]*apiserver already running/);
    expect(['etcd', 'apiserver'].map((n) => readPid(pidFile(dirs, n)))).toEqual(before);
  });
});
