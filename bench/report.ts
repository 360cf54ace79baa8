// Renders the bench results as plain-text tables: each apiserver figure beside raw etcd3's, the
// ratio, the target and PASS/FAIL, then the CPU each side used so bottlenecks are visible.
import os from 'node:os';
import { percentile, rate, type LoadResult } from './stats';
import type { Comparison } from './context';
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
  const cells = (side: string, cpu: Record<string, number>): string[] =>
    [`${c.name} / ${side}`, fixed(cpu.apiserver ?? NaN, 0), fixed(cpu.etcd ?? NaN, 0), fixed(cpu.client ?? NaN, 0)];
  return [cells('apiserver', c.cpuDuringApi), cells('raw etcd', c.cpuDuringEtcd)];
}

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
  out.push('', 'CPU during each measured run (% of one core)', table(['run', 'apiserver', 'etcd', 'bench client'], res.cpu));
  if (res.problems.length > 0) out.push('', 'notes:', ...res.problems.map((p) => `  - ${p}`));
  out.push('', `phases took ${info.seconds.toFixed(0)}s`, '');
  return out.join('\n');
}
