// Runs stock /usr/bin/kubectl (and etcdctl) against the suite's cluster, never throwing on a non-zero
// exit, plus the small helpers the e2e files share: background processes, polling, namespaces, fixtures.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Result { code: number; stdout: string; stderr: string }

export interface RunOptions {
  /** Written to the process's stdin, which is then closed. */
  input?: string;
  /** Extra environment on top of the suite's. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export const KUBECTL = '/usr/bin/kubectl';

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: the jest globalSetup (test/cluster-setup.ts) did not start a cluster`);
  return v;
}

export function dataDir(): string { return need('KUBETS_TEST_DATA_DIR'); }
export function kubeconfigPath(): string { return need('KUBETS_TEST_KUBECONFIG'); }
export function apiPort(): number { return Number(need('KUBETS_TEST_PORT')); }

/** kubectl's environment: HOME in the run's data dir so its discovery cache belongs to this run. */
function baseEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dataDir() };
  // Nothing from the developer's shell may redirect kubectl or its editor.
  delete env.KUBECONFIG;
  delete env.KUBE_EDITOR;
  Object.assign(env, extra);
  return env;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, opts: RunOptions): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { stderr += `\n[test harness: ${cmd} timed out after ${opts.timeoutMs ?? 45_000}ms]`; child.kill('SIGKILL'); },
      opts.timeoutMs ?? 45_000);
    child.on('error', (e) => { stderr += String(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A program that exits without reading stdin (etcdctl) must not fail the test with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** `kubectl --kubeconfig <suite kubeconfig> ...args`. */
export function kubectl(args: string[], opts: RunOptions = {}): Promise<Result> {
  return run(KUBECTL, ['--kubeconfig', kubeconfigPath(), ...args], baseEnv(opts.env), opts);
}

/** Like kubectl() but fails the test with kubectl's own output when it exits non-zero. */
export async function kubectlOk(args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** A long-running process (kubectl get -w, kubectl wait, ...) whose output is read while it runs. */
export class Background {
  private out = '';
  private err = '';
  readonly exited: Promise<Result>;
  private exitCode: number | undefined;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { this.out += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { this.err += d; });
    this.exited = new Promise((resolve) => {
      child.on('error', (e) => { this.err += String(e); });
      child.on('close', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : 1);
        resolve({ code: this.exitCode, stdout: this.out, stderr: this.err });
      });
    });
  }

  get stdout(): string { return this.out; }
  get stderr(): string { return this.err; }
  get running(): boolean { return this.exitCode === undefined; }

  /** Polls until `pred` holds on this process's output; fails at once (with its stderr) if it exits first. */
  async waitUntil(what: string, pred: (b: Background) => boolean, timeoutMs = 20_000): Promise<void> {
    await waitFor(what, () => {
      if (pred(this)) return true;
      if (!this.running) throw new ExitedError(`process exited (${this.exitCode}) before ${what}\nstdout: ${this.out}\nstderr: ${this.err}`);
      return false;
    }, timeoutMs);
  }

  /** Stops the process (if still running) and waits for it to be gone. */
  async stop(): Promise<Result> {
    if (this.running) this.child.kill('SIGTERM');
    return this.exited;
  }
}

export function kubectlBackground(args: string[], opts: Omit<RunOptions, 'input' | 'timeoutMs'> = {}): Background {
  const child = spawn(KUBECTL, ['--kubeconfig', kubeconfigPath(), ...args], { env: baseEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  return new Background(child);
}

/** Thrown by a probe to end waitFor at once instead of polling on. */
export class ExitedError extends Error {}

/** Polls `probe` until it returns something other than undefined/false, or fails with `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      if (e instanceof ExitedError) throw e;
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Creates a fresh namespace for one test file (never deleted: namespace deletion needs a controller).
 * Sent as a manifest (JSON on the wire) so that the typed-client path of `kubectl create namespace`
 * (protobuf on the wire) is tested on its own in kubectl-apply.test.ts rather than by every file.
 */
export async function createNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  const out = await kubectlOk(['create', '-f', '-'], { input: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n` });
  if (out.trim() !== `namespace/${name} created`) throw new Error(`unexpected output from kubectl create -f (namespace): ${out}`);
  return name;
}

export function fixture(name: string): string {
  const p = path.join(__dirname, 'fixtures', name);
  if (!existsSync(p)) throw new Error(`missing fixture ${p}`);
  return p;
}

/** The etcd client endpoints `kubets up` recorded in <data dir>/cluster.json (`etcd.servers`, see src/cmd/cluster-layout.ts). */
export function etcdEndpoints(): string {
  const file = path.join(dataDir(), 'cluster.json');
  const layout = JSON.parse(readFileSync(file, 'utf8')) as { etcd?: { servers?: unknown } };
  const servers = layout.etcd?.servers;
  if (!Array.isArray(servers) || servers.length === 0 || !servers.every((s): s is string => typeof s === 'string')) {
    throw new Error(`${file} has no etcd.servers list: ${readFileSync(file, 'utf8')}`);
  }
  return servers.join(',');
}

/** `ETCDCTL_API=3 etcdctl --endpoints <the cluster's etcd> ...args`. */
export function etcdctl(args: string[]): Promise<Result> {
  return run('etcdctl', ['--endpoints', etcdEndpoints(), ...args], { ...process.env, ETCDCTL_API: '3' }, {});
}

/** The keys etcd holds under a prefix (etcdctl get --prefix --keys-only). */
export async function etcdKeys(prefix: string): Promise<string[]> {
  const r = await etcdctl(['get', '--prefix', prefix, '--keys-only']);
  if (r.code !== 0) throw new Error(`etcdctl get --prefix ${prefix} failed (${r.code}): ${r.stderr}`);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Splits kubectl's column output into rows of whitespace-separated cells (header first). */
export function table(out: string): string[][] {
  return out.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s{2,}|\t/).map((c) => c.trim()));
}
