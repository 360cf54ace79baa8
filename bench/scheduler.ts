// The scheduler's bench section: hollow kubelets (fake runtime) for the nodes, then pods with small
// requests; reports pods bound per second by the cluster's scheduler draining them beside the rate the
// same apiserver accepts bare pods/binding calls.
import { performance } from 'node:perf_hooks';
import type { BenchContext } from './context';
import { startHollowKubelets } from './hollow-kubelets';
import { progress } from './phases';
import { CpuMeter, describeCpu } from './procfs';
import { closedLoop, percentile, rate, sleep } from './stats';

export interface SchedulerBenchOptions { nodes: number; pods: number; baselineBinds: number }

export interface SchedulerBenchResult { rows: string[][]; notes: string[] }

const prefix = 'bench-sched-';
const nodeName = (i: number) => `${prefix}${i}`;

function smallPod(name: string, schedulerName?: string): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'bench-sched' } },
    spec: {
      ...(schedulerName ? { schedulerName } : {}),
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  });
}

async function ensureNamespace(ctx: BenchContext, name: string): Promise<void> {
  const r = await ctx.api.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${name}: HTTP ${r.status}`);
}

/** Bare bindings: pods no scheduler looks at, bound by the bench itself. */
async function bindingBaseline(ctx: BenchContext, count: number, nodes: number): Promise<{ rate: number; p50: number; p99: number }> {
  const ns = 'bench-bind';
  await ensureNamespace(ctx, ns);
  const created = await closedLoop({ concurrency: ctx.concurrency, durationMs: 600_000, maxOps: count }, async (_w, i) => {
    await ctx.api.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods`, smallPod(`bind-${i}`, 'kubets-bench-none'));
  });
  if (created.errors) throw new Error(`binding baseline pods: ${created.firstError}`);
  const r = await closedLoop({ concurrency: ctx.concurrency, durationMs: 600_000, maxOps: count }, async (_w, i) => {
    await ctx.api.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods/bind-${i}/binding`, JSON.stringify({
      apiVersion: 'v1', kind: 'Binding', metadata: { name: `bind-${i}` }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName(i % nodes) },
    }));
  });
  if (r.errors) throw new Error(`bindings: ${r.errors} errors, first: ${r.firstError}`);
  return { rate: rate(r), p50: percentile(r.latenciesMs, 50), p99: percentile(r.latenciesMs, 99) };
}

export async function schedulerPhase(ctx: BenchContext, o: SchedulerBenchOptions): Promise<SchedulerBenchResult> {
  const notes: string[] = [];
  progress(`scheduler: starting ${o.nodes} hollow kubelets`);
  const hollow = await startHollowKubelets(ctx, o.nodes, prefix);
  notes.push(`scheduler: ${o.nodes} hollow nodes Ready ${hollow.readySeconds.toFixed(1)}s after spawn; hollow kubelet process RSS ${hollow.rssMb().toFixed(0)} MB`);
  const schedulerPid = ctx.pids.scheduler;
  let paused = false;
  const resume = (): void => { if (paused && schedulerPid) { process.kill(schedulerPid, 'SIGCONT'); paused = false; } };
  try {
    // Let the scheduler's node informer catch up before timing anything.
    await sleep(2000);
    progress(`scheduler: bare binding baseline, ${o.baselineBinds} pods`);
    const bare = await bindingBaseline(ctx, o.baselineBinds, o.nodes);

    const ns = 'bench-sched';
    await ensureNamespace(ctx, ns);
    const list = JSON.parse(await ctx.api.expect(200, 'GET', `/api/v1/namespaces/${ns}/pods?limit=1`)) as { metadata: { resourceVersion: string } };
    const bound = new Set<string>();
    let lastBoundAt = 0;
    const watch = await ctx.api.stream(`/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${list.metadata.resourceVersion}`, (line) => {
      const ev = JSON.parse(line) as { object?: { metadata?: { name?: string }; spec?: { nodeName?: string } } };
      const name = ev.object?.metadata?.name;
      if (name && ev.object?.spec?.nodeName && !bound.has(name)) { bound.add(name); lastBoundAt = performance.now(); }
    });
    // Creating pods through this apiserver is slower than scheduling them, so the scheduler is paused
    // (SIGSTOP) while they are created and timed draining the whole backlog, as upstream's scheduler_perf
    // times a scheduler over pods that already exist.
    if (schedulerPid) { process.kill(schedulerPid, 'SIGSTOP'); paused = true; }
    progress(`scheduler: creating ${o.pods} pods${paused ? ' with the scheduler paused' : ''}`);
    const c0 = performance.now();
    const created = await closedLoop({ concurrency: ctx.concurrency, durationMs: 600_000, maxOps: o.pods }, async (_w, i) => {
      await ctx.api.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods`, smallPod(`sched-${i}`));
    });
    if (created.errors) notes.push(`scheduler: ${created.errors} pod creates failed, first: ${created.firstError}`);
    notes.push(`scheduler: ${created.ops} pods created at ${(created.ops / ((performance.now() - c0) / 1000)).toFixed(0)}/s`);
    const cpu = new CpuMeter({ ...ctx.pids, hollow: hollow.pid });
    const t0 = performance.now();
    resume();
    progress(`scheduler: waiting for the scheduler to bind ${created.ops} pods`);
    let seen = -1;
    let stalledSince = performance.now();
    while (bound.size < created.ops) {
      if (bound.size !== seen) { seen = bound.size; stalledSince = performance.now(); progress(`scheduler: ${bound.size}/${created.ops} bound`); }
      if (performance.now() - stalledSince > 30_000) { notes.push(`scheduler: stalled at ${bound.size}/${created.ops} bound`); break; }
      await sleep(1000);
    }
    watch.close();
    notes.push(`scheduler: cores used while binding: ${describeCpu(cpu.stop())}`);
    const schedSeconds = (lastBoundAt - t0) / 1000;
    const throughput = schedSeconds > 0 ? bound.size / schedSeconds : 0;
    const from = schedulerPid ? 'from the scheduler\'s resume' : 'from the first create (scheduler pid unknown: not paused)';
    return {
      rows: [
        ['scheduling throughput', `${throughput.toFixed(0)} pods/s`, `${bound.size}/${o.pods} pods bound on ${o.nodes} hollow nodes in ${schedSeconds.toFixed(1)}s (${from})`, '>= 250 pods/s', throughput >= 250 && bound.size === o.pods ? 'PASS' : 'FAIL'],
        ['bare pods/binding calls', `${bare.rate.toFixed(0)} binds/s`, `${o.baselineBinds} binds, ${ctx.concurrency} concurrent, p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms`, '-', '-'],
      ],
      notes,
    };
  } finally {
    resume();
    progress('scheduler: stopping the hollow kubelets');
    await hollow.stop();
  }
}
