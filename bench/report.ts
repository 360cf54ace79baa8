// Renders the bench results as plain-text tables: each apiserver figure beside raw etcd3's, the
// ratio, the target and PASS/FAIL, then the CPU each side used so bottlenecks are visible.
import os from 'node:os';
import { percentile, rate, type LoadResult } from './stats';
import type { Comparison } from './context';
import type { CpuUse } from './procfs';
import type { WatchResult } from './watch';
import type { MemoryResult } from './memory';
import type { Results } from './phases';

export interface Verdict { target: string; pass: boolean }

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // The first column is a label; everything else is a figure and reads best right-aligned.
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const ms = (n: number): string => fixed(n, n < 10 ? 2 : 1);

function loadCells(r: LoadResult): string[] {
  return [fixed(rate(r), 0), ms(percentile(r.latenciesMs, 50)), ms(percentile(r.latenciesMs, 99)), String(r.errors)];
}

export const header = ['benchmark', 'api ops/s', 'api p50 ms', 'api p99 ms', 'api err',
  'etcd ops/s', 'etcd p50 ms', 'etcd p99 ms', 'etcd err', 'ratio', 'target', 'result'];

export function comparisonRow(c: Comparison, v?: Verdict): string[] {
  const ratio = rate(c.apiserver) / rate(c.etcd);
  return [c.name, ...loadCells(c.apiserver), ...loadCells(c.etcd), `${fixed(ratio, 2)}x`, v?.target ?? '(info)', v ? (v.pass ? 'PASS' : 'FAIL') : ''];
}

export function watchRow(api: WatchResult, etcd: WatchResult, v: Verdict): string[] {
  const p = (w: WatchResult, q: number): string => ms(percentile(w.latenciesMs, q));
  const errs = (w: WatchResult): string => `${w.errors}${w.missed ? `/${w.missed} missed` : ''}`;
  const ratio = percentile(api.latenciesMs, 99) / percentile(etcd.latenciesMs, 99);
  return [`watch ${api.watchers} watchers x ${api.events} events`, '', p(api, 50), p(api, 99), errs(api),
    '', p(etcd, 50), p(etcd, 99), errs(etcd), `${fixed(ratio, 2)}x p99`, v.target, v.pass ? 'PASS' : 'FAIL'];
}

export function memoryRows(m: MemoryResult, v: Verdict): string[][] {
  const mb = (kb: number | undefined): string => (kb === undefined ? '-' : `${fixed(kb / 1024, 1)} MB`);
  return [
    ['apiserver RSS', mb(m.apiserver?.rssKb), `with ${m.podsInEtcd} pods in etcd, ${m.podsListed} listed from the cache`, v.target, v.pass ? 'PASS' : 'FAIL'],
    ['apiserver peak RSS (VmHWM)', mb(m.apiserver?.hwmKb), 'highest over the whole run', '(info)', ''],
    ['etcd RSS', mb(m.etcd?.rssKb), `peak ${mb(m.etcd?.hwmKb)}`, '(info)', ''],
    ['fill creates (64 conc)', `${fixed(m.fillRate, 0)} ops/s`,
      `p50 ${ms(percentile(m.fill.latenciesMs, 50))} ms, p99 ${ms(percentile(m.fill.latenciesMs, 99))} ms, ${m.fill.errors} errors`, '(info)', ''],
  ];
}

export function cpuRows(c: Comparison): string[][] {
  const cells = (side: string, cpu: CpuUse, ops: number): string[] => {
    const pct = (name: string): string => fixed((100 * (cpu.cpuSeconds[name] ?? NaN)) / cpu.wallSeconds, 0);
    const perOp = (name: string): string => fixed((1000 * (cpu.cpuSeconds[name] ?? NaN)) / ops, 3);
    return [`${c.name} / ${side}`, pct('apiserver'), pct('etcd'), pct('client'), perOp('apiserver'), perOp('etcd'), perOp('client')];
  };
  return [cells('apiserver', c.cpuDuringApi, c.apiserver.ops), cells('raw etcd', c.cpuDuringEtcd, c.etcd.ops)];
}

export const cpuHeader = ['run', 'apiserver %', 'etcd %', 'client %', 'apiserver ms/op', 'etcd ms/op', 'client ms/op'];

/**
 * Why the client column matters: on a small machine the single-threaded load generator shares the
 * cores with both servers, so each side's figures are only comparable when its client is lean too.
 */
export const clientNote = 'Clients: the apiserver side uses undici (keep-alive HTTPS), the raw side the etcd3 library with the ' +
  "apiserver's own etcd3 configuration; both run in this one bench process, whose CPU per op is the 'client' column. " +
  "The apiserver's CPU per op includes its own etcd3 client and the watch that feeds its cache.";
export interface RunInfo { server: string; apiserverPid: number; etcd: string; etcdPid?: number; seconds: number; loadBefore: number }

export function renderReport(res: Results, info: RunInfo): string {
  const out: string[] = [
    '',
    `kubets bench: node ${process.version}, ${os.cpus().length} CPUs, 1-min load avg ${info.loadBefore.toFixed(2)} before the phases, ` +
      `${os.loadavg()[0]!.toFixed(2)} after`,
    `apiserver ${info.server} (pid ${info.apiserverPid}), etcd ${info.etcd} (pid ${info.etcdPid ?? '?'}); ` +
      'the bench client, apiserver and etcd share this machine',
    '',
    table(header, res.rows),
  ];
  if (res.memory) out.push('', table(['memory', 'value', 'detail', 'target', 'result'], res.memory));
  if (res.scheduling) out.push('', table(['scheduler', 'value', 'detail', 'target', 'result'], res.scheduling));
  if (res.rssTrail.length > 0) out.push(`apiserver RSS after each phase: ${res.rssTrail.join(', ')}`);
  out.push('', 'CPU during each measured run (% of one core, and CPU milliseconds per operation)', table(cpuHeader, res.cpu), clientNote);
  if (res.problems.length > 0) out.push('', 'notes:', ...res.problems.map((p) => `  - ${p}`));
  out.push('', `phases took ${info.seconds.toFixed(0)}s`, '');
  return out.join('\n');
}
