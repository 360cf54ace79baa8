// Starts and stops the bench's own throwaway cluster through `kubets up`/`kubets down`, and finds what
// the bench needs from it: API credentials, the etcd endpoint and the apiserver and etcd pids.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cmdlineOf, findProcesses } from './procfs';

const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli.js');
const context = 'kubets-bench';

export interface ApiCredentials { server: URL; ca: Buffer; cert: Buffer; key: Buffer }

export interface BenchCluster {
  dataDir: string;
  api: ApiCredentials;
  etcdEndpoints: string[];
  apiserverPid: number;
  etcdPid?: number;
  /** The control-plane loops, whose CPU the Deployment and scheduler sections show. */
  controllerManagerPid?: number;
  schedulerPid?: number;
}

export function newDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'kubets-bench-'));
}

function runCli(dataDir: string, args: string[]): { ok: boolean; output: string } {
  // HOME points into the scratch dir so `up` merges its context into a throwaway kubeconfig, not the user's.
  const r = spawnSync(process.execPath, [cli, ...args, '--data-dir', dataDir, '--context', context],
    { env: { ...process.env, HOME: dataDir }, encoding: 'utf8', timeout: 180_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** `only` starts just those processes (`kubets up --only`); a later call without it starts the rest. */
export function clusterUp(dataDir: string, port: number, only?: string[]): BenchCluster {
  const r = runCli(dataDir, ['up', '--apiserver-port', String(port), ...(only ? ['--only', only.join(',')] : [])]);
  if (!r.ok) throw new Error(`kubets up failed:\n${r.output}\n${logTails(dataDir)}`);
  const api = readKubeconfig(path.join(dataDir, 'kubeconfig'));
  const layout = readClusterJson(dataDir);
  const apiserverPid = findApiserverPid(dataDir, layout, port);
  return {
    dataDir, api, etcdEndpoints: findEtcdEndpoints(layout, apiserverPid), apiserverPid, etcdPid: findEtcdPid(dataDir, layout),
    controllerManagerPid: alive(layout.processes?.['controller-manager']?.pid), schedulerPid: alive(layout.processes?.scheduler?.pid),
  };
}

export function clusterDown(dataDir: string): string {
  const r = runCli(dataDir, ['down', '--purge']);
  return r.ok ? '' : `kubets down failed:\n${r.output}`;
}

interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
}

function readKubeconfig(file: string): ApiCredentials {
  const doc = parseYaml(readFileSync(file, 'utf8')) as KubeconfigDoc;
  const ctx = doc.contexts?.find((c) => c.name === context) ?? doc.contexts?.find((c) => c.name === doc['current-context']) ?? doc.contexts?.[0];
  const cluster = doc.clusters?.find((c) => c.name === ctx?.context.cluster) ?? doc.clusters?.[0];
  const user = doc.users?.find((u) => u.name === ctx?.context.user) ?? doc.users?.[0];
  const b64 = (v: string | undefined, what: string): Buffer => {
    if (!v) throw new Error(`${file}: no ${what}`);
    return Buffer.from(v, 'base64');
  };
  if (!cluster) throw new Error(`${file}: no cluster`);
  return {
    server: new URL(cluster.cluster.server),
    ca: b64(cluster.cluster['certificate-authority-data'], 'certificate-authority-data'),
    cert: b64(user?.user['client-certificate-data'], 'client-certificate-data'),
    key: b64(user?.user['client-key-data'], 'client-key-data'),
  };
}

/** The parts of `<data-dir>/cluster.json` (written by `kubets up`) the bench reads; all optional, as a fallback exists for each. */
interface ClusterJson {
  etcd?: { servers?: string[] };
  processes?: Record<string, { pid?: number } | undefined>;
}

function readClusterJson(dataDir: string): ClusterJson {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, 'cluster.json'), 'utf8')) as ClusterJson;
  } catch {
    return {};
  }
}

function alive(pid: number | undefined): number | undefined {
  return pid !== undefined && Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : undefined;
}

function readPid(file: string): number | undefined {
  try {
    return alive(Number(readFileSync(file, 'utf8').trim()));
  } catch {
    return undefined;
  }
}

function findApiserverPid(dataDir: string, layout: ClusterJson, port: number): number {
  const pid = alive(layout.processes?.apiserver?.pid) ?? readPid(path.join(dataDir, 'run', 'apiserver.pid'))
    ?? findProcesses('node', 'apiserver').find((p) => cmdlineOf(p).some((a) => a.includes(dataDir) || a === String(port)));
  if (pid === undefined) throw new Error(`no apiserver pid in ${dataDir}/cluster.json or ${dataDir}/run/apiserver.pid, and no matching process`);
  return pid;
}

function findEtcdPid(dataDir: string, layout: ClusterJson): number | undefined {
  return alive(layout.processes?.etcd?.pid) ?? readPid(path.join(dataDir, 'run', 'etcd.pid')) ?? findProcesses('etcd', dataDir)[0];
}

function findEtcdEndpoints(layout: ClusterJson, apiserverPid: number): string[] {
  // The apiserver's own flag is the ground truth: it is exactly the etcd the apiserver talks to.
  const argv = cmdlineOf(apiserverPid);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--etcd-servers=')) return a.slice('--etcd-servers='.length).split(',');
    if (a === '--etcd-servers' && argv[i + 1]) return argv[i + 1]!.split(',');
  }
  const servers = layout.etcd?.servers ?? [];
  if (servers.length > 0) return servers;
  throw new Error(`cannot find the etcd endpoint: apiserver pid ${apiserverPid} has no --etcd-servers and cluster.json names none`);
}

/** The last lines of every log under the data dir, to explain a failed `up`. */
function logTails(dataDir: string): string {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 3 || !existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      try {
        if (statSync(p).isDirectory()) walk(p, depth + 1);
        else if (name.endsWith('.log')) out.push(`--- ${p} (tail)\n${readFileSync(p, 'utf8').split('\n').slice(-30).join('\n')}`);
      } catch { /* a file that vanished or cannot be read adds nothing to the diagnosis */ }
    }
  };
  walk(dataDir, 0);
  return out.join('\n');
}
