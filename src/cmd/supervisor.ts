// Detached background processes for `up`/`down`: spawn with output to <data-dir>/logs/<name>.log and a pid
// in <data-dir>/run/<name>.pid, recognise them again later (checking /proc/<pid>/cmdline so a recycled
// pid is never mistaken for ours), wait for readiness, and stop them with SIGTERM then SIGKILL.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../pki/files';

export interface ProcessSpec {
  name: string;
  /** Program and arguments; argv[0] is the executable. */
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** One readiness check; polled until it returns true. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** Runs before each start (e.g. writes the config file the process reads). */
  prepare?: () => void;
  /** Runs once the process is ready, whether just started or already running (e.g. imports images). */
  afterReady?: () => Promise<void>;
  /**
   * Consecutive arguments only this cluster's instance of the role has (e.g. etcd's --data-dir), used to
   * find it again when its pid file is lost, so `up` never starts a second copy beside a live orphan.
   */
  identity?: string[];
}

export interface RunDirs {
  dataDir: string;
  logDir: string;
  runDir: string;
}

export function runDirs(dataDir: string): RunDirs {
  return { dataDir, logDir: path.join(dataDir, 'logs'), runDir: path.join(dataDir, 'run') };
}

export const pidFile = (dirs: RunDirs, name: string): string => path.join(dirs.runDir, `${name}.pid`);
export const logFile = (dirs: RunDirs, name: string): string => path.join(dirs.logDir, `${name}.log`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The live process's argv, or undefined if it is gone or a zombie. */
export function cmdlineOf(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the last ')' (the command name may itself contain parentheses).
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return undefined;
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((s, i, all) => !(s === '' && i === all.length - 1));
  } catch {
    return undefined;
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export type ProcessState =
  | { kind: 'absent' }
  /** `sameArgs` is false when it was started with other flags (e.g. `up` re-run with a new port). */
  | { kind: 'running'; pid: number; sameArgs: boolean };

function containsRun(cmd: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= cmd.length; i++) if (run.every((a, j) => cmd[i + j] === a)) return true;
  return false;
}

/** Live processes (other than us) whose command line contains `identity` as consecutive arguments. */
export function findByIdentity(identity: string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmd = cmdlineOf(pid);
    if (cmd && containsRun(cmd, identity)) found.push(pid);
  }
  return found;
}

/**
 * Our process for `name`, if alive. A pid from the pid file counts as ours only if its command line runs
 * the same program and mentions this cluster's data dir (after a reboot the pid may belong to anything);
 * without a usable pid file, a process carrying `identity` is adopted (and its pid file rewritten).
 */
export function inspect(dirs: RunDirs, name: string, argv?: string[], identity?: string[]): ProcessState {
  const state = (pid: number, cmd: string[]): ProcessState => ({
    kind: 'running', pid,
    sameArgs: argv !== undefined && cmd.length === argv.length && cmd.slice(1).every((a, i) => a === argv[i + 1]),
  });
  const pid = readPid(pidFile(dirs, name));
  const cmd = pid === undefined ? undefined : cmdlineOf(pid);
  if (pid !== undefined && cmd && cmd.length > 0) {
    const mentionsDataDir = cmd.some((a) => a.endsWith(dirs.dataDir) || a.includes(`${dirs.dataDir}/`));
    const sameProgram = argv === undefined || path.basename(cmd[0]!) === path.basename(argv[0]!);
    if (mentionsDataDir && sameProgram) return state(pid, cmd);
  }
  if (!identity) return { kind: 'absent' };
  const [orphan] = findByIdentity(identity);
  const orphanCmd = orphan === undefined ? undefined : cmdlineOf(orphan);
  if (orphan === undefined || !orphanCmd) return { kind: 'absent' };
  writeFileAtomic(pidFile(dirs, name), `${orphan}\n`);
  return state(orphan, orphanCmd);
}

/** Spawns `spec` detached from us, logging to its log file, and records its pid. */
export function startProcess(dirs: RunDirs, spec: ProcessSpec): number {
  mkdirSync(dirs.logDir, { recursive: true });
  mkdirSync(dirs.runDir, { recursive: true });
  const log = logFile(dirs, spec.name);
  const fd = openSync(log, 'a');
  try {
    writeSync(fd, `\n=== ${new Date().toISOString()} kubets up: starting ${spec.argv.join(' ')}\n`);
    const child = spawn(spec.argv[0]!, spec.argv.slice(1), {
      detached: true, stdio: ['ignore', fd, fd], env: spec.env ?? process.env, cwd: dirs.dataDir,
    });
    // A missing binary surfaces as an async 'error' event with no pid; keep it from crashing us.
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`cannot start ${spec.name}: ${spec.argv[0]} could not be executed`);
    child.unref();
    writeFileAtomic(pidFile(dirs, spec.name), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** The last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 40): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const all = readFileSync(file, 'utf8').trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Polls `spec.ready` until it succeeds; fails fast if the process exits, with its log tail either way. */
export async function waitReady(dirs: RunDirs, spec: ProcessSpec, pid: number): Promise<void> {
  const timeoutMs = spec.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const fail = (why: string): Error =>
    new Error(`${spec.name} ${why}; last lines of ${logFile(dirs, spec.name)}:\n${logTail(logFile(dirs, spec.name))}`);
  for (;;) {
    if (!cmdlineOf(pid)) throw fail(`(pid ${pid}) exited before becoming ready`);
    if (await spec.ready().catch(() => false)) return;
    if (Date.now() > deadline) throw fail(`(pid ${pid}) not ready after ${Math.round(timeoutMs / 1000)}s`);
    await sleep(250);
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!cmdlineOf(pid)) return true;
    await sleep(100);
  }
  return !cmdlineOf(pid);
}

export type StopResult = 'not-running' | 'stopped' | 'killed';

/** Stops our process `name` (SIGTERM, then SIGKILL after `graceMs`) and removes its pid file. */
export async function stopProcess(dirs: RunDirs, name: string, graceMs = 10_000, identity?: string[]): Promise<StopResult> {
  const state = inspect(dirs, name, undefined, identity);
  let result: StopResult = 'not-running';
  if (state.kind === 'running') {
    result = 'stopped';
    try { process.kill(state.pid, 'SIGTERM'); } catch { /* exited in between */ }
    if (!(await waitGone(state.pid, graceMs))) {
      result = 'killed';
      try { process.kill(state.pid, 'SIGKILL'); } catch { /* exited in between */ }
      if (!(await waitGone(state.pid, 5_000))) throw new Error(`${name} (pid ${state.pid}) survived SIGKILL`);
    }
  }
  rmSync(pidFile(dirs, name), { force: true });
  return result;
}

export type EnsureResult = { pid: number; action: 'kept' | 'started' | 'restarted' };

/**
 * Leaves a live process with the same arguments alone, restarts one with different arguments (or any, with
 * `restart`, e.g. after its certificate was re-issued), and starts a missing one.
 */
export async function ensureRunning(dirs: RunDirs, spec: ProcessSpec, restart = false): Promise<EnsureResult> {
  const state = inspect(dirs, spec.name, spec.argv, spec.identity);
  if (state.kind === 'running' && state.sameArgs && !restart) {
    await waitReady(dirs, spec, state.pid);
    await spec.afterReady?.();
    return { pid: state.pid, action: 'kept' };
  }
  let action: EnsureResult['action'] = 'started';
  if (state.kind === 'running') {
    await stopProcess(dirs, spec.name, undefined, spec.identity);
    action = 'restarted';
  }
  spec.prepare?.();
  const pid = startProcess(dirs, spec);
  await waitReady(dirs, spec, pid);
  await spec.afterReady?.();
  return { pid, action };
}
