// The scheduler's bench section: hollow Node objects (capacity and a Ready condition, no kubelet), then
// pods with small requests created as fast as the apiserver takes them; reports pods bound per second
// by the cluster's scheduler beside the rate the same apiserver accepts bare pods/binding calls.
import { performance } from 'node:perf_hooks';
import type { BenchContext } from './context';
import { progress } from './phases';
import { closedLoop, percentile, rate, sleep } from './stats';

export interface SchedulerBenchOptions { nodes: number; pods: number; baselineBinds: number }

export interface SchedulerBenchResult { rows: string[][]; notes: string[] }

const nodeName = (i: number) => `hollow-${String(i).padStart(5, '0')}`;

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

async function createHollowNodes(ctx: BenchContext, n: number): Promise<number> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const resources = { cpu: '32', memory: '128Gi', pods: '110' };
  const status = JSON.stringify({ status: { capacity: resources, allocatable: resources, conditions: [
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node', lastHeartbeatTime: now, lastTransitionTime: now }] } });
  const r = await closedLoop({ concurrency: ctx.concurrency, durationMs: 600_000, maxOps: n }, async (_w, i) => {
    const name = nodeName(i);
    await ctx.api.expect(201, 'POST', '/api/v1/nodes', JSON.stringify({
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % 10}` } },
    }));
    const res = await ctx.api.request('PATCH', `/api/v1/nodes/${name}/status`, status, 'application/merge-patch+json');
    if (res.status !== 200) throw new Error(`node status: HTTP ${res.status}`);
  });
  if (r.errors) throw new Error(`hollow nodes: ${r.errors} errors, first: ${r.firstError}`);
  return r.seconds;
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
  progress(`scheduler: creating ${o.nodes} hollow nodes`);
  const nodeSeconds = await createHollowNodes(ctx, o.nodes);
  notes.push(`scheduler: ${o.nodes} hollow nodes created in ${nodeSeconds.toFixed(1)}s`);
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
  progress(`scheduler: creating ${o.pods} pods and waiting for the scheduler to bind them`);
  const t0 = performance.now();
  const created = await closedLoop({ concurrency: ctx.concurrency, durationMs: 600_000, maxOps: o.pods }, async (_w, i) => {
    await ctx.api.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods`, smallPod(`sched-${i}`));
  });
  if (created.errors) notes.push(`scheduler: ${created.errors} pod creates failed, first: ${created.firstError}`);
  const createdAt = performance.now();
  let seen = -1;
  let stalledSince = performance.now();
  while (bound.size < created.ops) {
    if (bound.size !== seen) { seen = bound.size; stalledSince = performance.now(); progress(`scheduler: ${bound.size}/${created.ops} bound`); }
    if (performance.now() - stalledSince > 30_000) { notes.push(`scheduler: stalled at ${bound.size}/${created.ops} bound`); break; }
    await sleep(1000);
  }
  watch.close();
  const schedSeconds = (lastBoundAt - t0) / 1000;
  const throughput = schedSeconds > 0 ? bound.size / schedSeconds : 0;
  notes.push(`scheduler: pods created at ${(created.ops / ((createdAt - t0) / 1000)).toFixed(0)}/s; the last was bound ${((lastBoundAt - createdAt) / 1000).toFixed(1)}s after the last create`);
  return {
    rows: [
      ['scheduling throughput', `${throughput.toFixed(0)} pods/s`, `${bound.size}/${o.pods} pods bound on ${o.nodes} hollow nodes in ${schedSeconds.toFixed(1)}s (from the first create)`, '>= 250 pods/s', throughput >= 250 && bound.size === o.pods ? 'PASS' : 'FAIL'],
      ['bare pods/binding calls', `${bare.rate.toFixed(0)} binds/s`, `${o.baselineBinds} binds, ${ctx.concurrency} concurrent, p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms`, '-', '-'],
    ],
    notes,
  };
}
