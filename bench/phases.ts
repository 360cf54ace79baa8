// Runs every bench phase in order against a ready cluster and collects the rows of the report; a
// phase that throws becomes a note rather than ending the run.
import { createPhase, getPhase, listPhases } from './crud';
import { apiserverWatch, etcdWatch, type WatchResult } from './watch';
import { memoryPhase, type MemoryResult } from './memory';
import { comparisonRow, cpuRows, memoryRows, watchRow } from './report';
import { percentile, rate, sleep } from './stats';
import { memoryOf } from './procfs';
import { deploymentPhase } from './deployment';
import { schedulerPhase } from './scheduler';
import type { BenchContext, Comparison } from './context';

export const progress = (msg: string): void => { process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`); };

export interface PhaseOptions {
  watchers: number; events: number; pods: number; maxCreates: number; hollowNodes: number; schedulerPods: number; bindBaseline: number;
  deployNodes: number; deployReplicas: number;
  /** Only the control-plane sections (Deployment, scheduler), not the apiserver-vs-etcd ones. */
  controlPlaneOnly: boolean;
  /** Only the create comparison. */
  createOnly: boolean;
}

export interface PhaseHooks {
  /**
   * Starts the rest of the cluster once the apiserver phases are done: they run with only etcd and the
   * apiserver up, as the raw rows run etcd alone. Resolves with the new controller-manager and scheduler pids.
   */
  startRest?: () => Promise<Partial<BenchContext['pids']>>;
  /** Runs after the apiserver phases and before the hollow-node sections (see runPhases). */
  betweenSections?: () => Promise<void>;
}

export interface Results {
  /** Apiserver RSS (MB) after each phase, to show which phase drives the peak. */
  rssTrail: string[];
  rows: string[][];
  cpu: string[][];
  memory?: string[][];
  scheduling?: string[][];
  problems: string[];
}

async function attempt<T>(what: string, problems: string[], run: () => Promise<T>): Promise<T | undefined> {
  progress(what);
  try {
    return await run();
  } catch (err) {
    problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    progress(`  failed: ${problems[problems.length - 1]}`);
    return undefined;
  }
}

function noteErrors(c: Comparison, problems: string[]): void {
  if (c.apiserver.firstError) problems.push(`${c.name} apiserver: ${c.apiserver.errors} errors, first: ${c.apiserver.firstError}`);
  if (c.etcd.firstError) problems.push(`${c.name} raw etcd: ${c.etcd.errors} errors, first: ${c.etcd.firstError}`);
  if (c.note) problems.push(`${c.name}: ${c.note}`);
}

/**
 * `betweenSections` runs after the apiserver phases and before the hollow-node sections, whose clean-up (pod
 * GC force-deleting the thousands of pods left on their deleted nodes) keeps the cluster busy for minutes.
 */
export async function runPhases(ctx: BenchContext, opts: PhaseOptions, hooks: PhaseHooks = {}): Promise<Results> {
  const res: Results = { rssTrail: [], rows: [], cpu: [], problems: [] };
  const trail = (phase: string): void => {
    const m = memoryOf(ctx.pids.apiserver);
    if (m) res.rssTrail.push(`${phase} ${(m.rssKb / 1024).toFixed(0)} MB (peak ${(m.hwmKb / 1024).toFixed(0)})`);
  };
  trail('start');
  // A phase that failed outright still gets its row, so a target never silently disappears from the report.
  const failedRow = (name: string, target: string): string[] => [name, ...Array<string>(9).fill('-'), target, 'FAIL'];
  const compare = (c: Comparison | undefined, verdict?: (ratio: number) => { target: string; pass: boolean }, failed?: [string, string]): void => {
    if (!c) {
      if (failed) res.rows.push(failedRow(...failed));
      return;
    }
    res.rows.push(comparisonRow(c, verdict?.(rate(c.apiserver) / rate(c.etcd))));
    res.cpu.push(...cpuRows(c));
    noteErrors(c, res.problems);
  };

  if (!opts.controlPlaneOnly) await apiserverPhases(ctx, opts, res, compare, failedRow, trail);
  if (hooks.startRest) {
    progress('starting the controllers and node components');
    Object.assign(ctx.pids, await hooks.startRest());
    if (!opts.controlPlaneOnly) await wholeClusterCreate(ctx, opts, res, compare);
  }
  if (opts.createOnly) return res;
  await hooks.betweenSections?.();
  await controlPlanePhases(ctx, opts, res, trail);
  return res;
}

async function apiserverPhases(ctx: BenchContext, opts: PhaseOptions, res: Results,
  compare: (c: Comparison | undefined, verdict?: (ratio: number) => { target: string; pass: boolean }, failed?: [string, string]) => void,
  failedRow: (name: string, target: string) => string[], trail: (phase: string) => void): Promise<void> {
  const create = await attempt(`create: ${ctx.concurrency} concurrent, ${ctx.durationMs / 1000}s each side, interleaved in slices`, res.problems, () => createPhase(ctx, opts.maxCreates));
  compare(create, (r) => ({ target: '>= 0.50x etcd', pass: r >= 0.5 }), ['create (failed)', '>= 0.50x etcd']);
  trail('create');
  if (opts.createOnly) return;
  const get = await attempt(`get: ${ctx.concurrency} concurrent, ${ctx.durationMs / 1000}s each side, interleaved in slices`, res.problems, () => getPhase(ctx));
  compare(get, (r) => ({ target: '>= 2.00x etcd', pass: r >= 2 }), ['get (failed)', '>= 2.00x etcd']);
  trail('get');
  const lists = await attempt(`list: ${ctx.pods.length} pods`, res.problems, () => listPhases(ctx));
  for (const l of lists ?? []) compare(l);
  trail('list');

  const watchApi = await attempt(`watch: ${opts.watchers} apiserver watchers, ${opts.events} events`, res.problems, () => apiserverWatch(ctx, opts.watchers, opts.events));
  trail('watch');
  const watchEtcd = await attempt(`watch: ${opts.watchers} raw etcd3 watchers, ${opts.events} events`, res.problems, () => etcdWatch(ctx, opts.watchers, opts.events));
  if (watchApi) {
    // Without a raw-etcd baseline the apiserver's figures still decide the target; the etcd cells read '-'.
    const baseline = watchEtcd ?? { watchers: opts.watchers, events: 0, latenciesMs: [], missed: 0, setupSeconds: 0, errors: 0 };
    const p99 = percentile(watchApi.latenciesMs, 99);
    const clean = watchApi.missed === 0 && watchApi.errors === 0 && watchApi.latenciesMs.length > 0;
    res.rows.push(watchRow(watchApi, baseline, { target: 'api p99 < 100 ms', pass: clean && p99 < 100 }));
    for (const [side, w] of [['apiserver', watchApi], ['raw etcd', baseline]] as [string, WatchResult][]) {
      res.problems.push(`watch setup (${side}): ${w.watchers} watchers open in ${w.setupSeconds.toFixed(2)}s`);
      if (w.firstError) res.problems.push(`watch ${side}: ${w.errors} errors, first: ${w.firstError}`);
      if (w.missed) res.problems.push(`watch ${side}: ${w.missed} deliveries missing after 3s`);
    }
  } else {
    res.rows.push(failedRow('watch (failed)', 'api p99 < 100 ms'));
  }

  const mem: MemoryResult | undefined = await attempt(`memory: filling to ${opts.pods} pods`, res.problems, () => memoryPhase(ctx, opts.pods));
  if (mem) {
    const rss = mem.apiserver?.rssKb ?? Number.POSITIVE_INFINITY;
    res.memory = memoryRows(mem, { target: '< 250 MB', pass: rss < 250 * 1024 && mem.podsInEtcd >= opts.pods });
    if (mem.fill.firstError) res.problems.push(`memory fill: ${mem.fill.errors} errors, first: ${mem.fill.firstError}`);
  } else {
    res.memory = [['apiserver RSS (failed)', '-', '-', '< 250 MB', 'FAIL']];
  }

}

/** How long the controllers get to list what the apiserver phases left (thousands of pods) before the rerun. */
const settleMs = 15_000;

/**
 * The create comparison again with every component running, printed for information beside the judged row:
 * on this small host the controllers' pod watches and the node processes share the two cores with the apiserver and etcd.
 */
async function wholeClusterCreate(ctx: BenchContext, opts: PhaseOptions, res: Results,
  compare: (c: Comparison | undefined) => void): Promise<void> {
  await sleep(settleMs);
  const c = await attempt('create again with the whole cluster running', res.problems,
    () => createPhase(ctx, opts.maxCreates, { label: 'create, whole cluster running', tag: 'w', warm: false }));
  compare(c);
  res.problems.push('The apiserver rows ran with only etcd and the apiserver started, as the raw rows run etcd alone; '
    + '"create, whole cluster running" repeats create once the controllers and node components run, for information.');
}

/** Last, so the controllers' and scheduler's writes never overlap the apiserver phases. */
async function controlPlanePhases(ctx: BenchContext, opts: PhaseOptions, res: Results, trail: (phase: string) => void): Promise<void> {
  if (opts.deployReplicas > 0) {
    const dep = await attempt(`deployment: ${opts.deployReplicas} replicas on ${opts.deployNodes} hollow nodes`, res.problems,
      () => deploymentPhase(ctx, { nodes: opts.deployNodes, replicas: opts.deployReplicas }));
    res.scheduling = [...(res.scheduling ?? []), ...(dep?.rows ?? [[`${opts.deployReplicas}-replica Deployment Available (failed)`, '-', '-', '< 30 s', 'FAIL']])];
    res.problems.push(...(dep?.notes ?? []));
    trail('deployment');
  }
  if (opts.schedulerPods > 0) {
    const sched = await attempt(`scheduler: ${opts.schedulerPods} pods on ${opts.hollowNodes} hollow nodes`, res.problems,
      () => schedulerPhase(ctx, { nodes: opts.hollowNodes, pods: opts.schedulerPods, baselineBinds: opts.bindBaseline }));
    res.scheduling = [...(res.scheduling ?? []), ...(sched?.rows ?? [['scheduling throughput (failed)', '-', '-', '>= 250 pods/s', 'FAIL']])];
    res.problems.push(...(sched?.notes ?? []));
    trail('scheduler');
  }
}
