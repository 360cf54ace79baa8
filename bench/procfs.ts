// Reads process memory and CPU time from /proc, so the report can show what the apiserver and etcd
// cost and whether a phase was bound by the server or by this (single-threaded) load generator.
import { readFileSync, readdirSync } from 'node:fs';

/** Linux's USER_HZ; /proc/<pid>/stat times are in these ticks on every mainstream kernel. */
const ticksPerSecond = 100;

export interface MemoryKb { rssKb: number; hwmKb: number }

export function memoryOf(pid: number): MemoryKb | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Seconds of CPU (user + system) the process has used so far. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses, so fields are counted from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

export function cmdlineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** Pids whose command line mentions `needle` and whose program name ends with `program`. */
export function findProcesses(program: string, needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = cmdlineOf(Number(entry));
    if (argv.length > 0 && argv[0]!.endsWith(program) && argv.some((a) => a.includes(needle))) pids.push(Number(entry));
  }
  return pids;
}

/** CPU seconds each named process (and this bench client, as `client`) used over a measured interval. */
export interface CpuUse { wallSeconds: number; cpuSeconds: Record<string, number> }

/** Tracks the CPU a set of processes (plus this one) spends across a measured interval. */
export class CpuMeter {
  private readonly startTimes: Map<number, number>;
  private readonly selfStart = process.cpuUsage();
  private readonly wallStart = Date.now();

  constructor(private readonly pids: Record<string, number | undefined>) {
    this.startTimes = new Map(Object.values(pids).filter((p): p is number => p !== undefined).map((p) => [p, cpuSecondsOf(p)]));
  }

  stop(): CpuUse {
    const wallSeconds = Math.max(0.001, (Date.now() - this.wallStart) / 1000);
    const cpuSeconds: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      if (pid === undefined) continue;
      cpuSeconds[name] = cpuSecondsOf(pid) - (this.startTimes.get(pid) ?? Number.NaN);
    }
    const self = process.cpuUsage(this.selfStart);
    cpuSeconds.client = (self.user + self.system) / 1e6;
    return { wallSeconds, cpuSeconds };
  }
}

/** Several measured intervals as one: wall time and each process's CPU added up. */
export function combineCpu(uses: CpuUse[]): CpuUse {
  const cpuSeconds: Record<string, number> = {};
  for (const u of uses) for (const [name, s] of Object.entries(u.cpuSeconds)) cpuSeconds[name] = (cpuSeconds[name] ?? 0) + s;
  return { wallSeconds: uses.reduce((n, u) => n + u.wallSeconds, 0), cpuSeconds };
}

/** "apiserver 1.2 cores, etcd 0.1, ..." over a CpuUse: which process a phase kept busy. */
export function describeCpu(use: CpuUse): string {
  return Object.entries(use.cpuSeconds).filter(([, s]) => Number.isFinite(s))
    .map(([name, s]) => `${name} ${(s / use.wallSeconds).toFixed(2)}`).join(', ');
}
