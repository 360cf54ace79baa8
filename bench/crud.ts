// The request/response phases: create, get and list through the apiserver, each beside raw etcd3
// doing the equivalent work (a create-if-absent txn, a point get, a prefix range) on the same etcd.
import { podJson } from './pod';
import { closedLoop, combineLoads, type LoadResult } from './stats';
import { combineCpu, CpuMeter, type CpuUse } from './procfs';
import { podPath, syncApiserver, type BenchContext, type Comparison } from './context';

async function measured(ctx: BenchContext, run: () => Promise<LoadResult>): Promise<[LoadResult, CpuUse]> {
  const meter = new CpuMeter(ctx.pids);
  const r = await run();
  return [r, meter.stop()];
}

async function rawCreate(ctx: BenchContext, key: string, value: string): Promise<void> {
  const r = await ctx.etcd.if(key, 'Create', '==', 0).then(ctx.etcd.put(key).value(value)).commit();
  if (!r.succeeded) throw new Error(`etcd txn on ${key}: key already exists`);
}

async function apiCreate(ctx: BenchContext, name: string): Promise<void> {
  await ctx.api.expect(201, 'POST', podPath(ctx), podJson(ctx.namespace, name));
  ctx.pods.push(name);
}

async function etcdCreate(ctx: BenchContext, name: string): Promise<void> {
  const key = `${ctx.scratchPrefix}pods/${name}`;
  await rawCreate(ctx, key, podJson(ctx.namespace, name));
  ctx.rawKeys.push(key);
}

const createWarmupOps = 2500;

export interface CreateRun {
  /** Row name; pod names and raw keys carry `tag` so a second run never collides with the first. */
  label: string;
  tag: string;
  /** A run on an apiserver and etcd already warmed by an earlier one skips the warm-up. */
  warm: boolean;
}

/**
 * A comparison's measured time is split into slices taken in the order api, raw, raw, api, api, raw, raw, api:
 * on this shared VM the host's speed drifts by a quarter within a minute (etcd's own CPU per op moves with
 * it), so one block per side compared the two sides at different host speeds; interleaved, a drift
 * falls on both sides alike. Each side's figures are its slices added up.
 */
const comparisonSlices = 8;

type Side = (slice: number) => Promise<LoadResult>;

async function interleaved(ctx: BenchContext, name: string, api: Side, raw: Side): Promise<Comparison> {
  const sides = { api: [] as [LoadResult, CpuUse][], etcd: [] as [LoadResult, CpuUse][] };
  for (let i = 0; i < comparisonSlices; i++) {
    const apiFirst = i % 4 === 0 || i % 4 === 3;
    if (apiFirst) sides.api.push(await measured(ctx, () => api(i)));
    else sides.etcd.push(await measured(ctx, () => raw(i)));
  }
  return {
    name,
    apiserver: combineLoads(sides.api.map(([r]) => r)), cpuDuringApi: combineCpu(sides.api.map(([, c]) => c)),
    etcd: combineLoads(sides.etcd.map(([r]) => r)), cpuDuringEtcd: combineCpu(sides.etcd.map(([, c]) => c)),
  };
}

/** One side's share of a comparison: `durationMs` and `maxOps` spread over that side's slices. */
function sliceOf(ctx: BenchContext, maxOps?: number): { concurrency: number; durationMs: number; maxOps?: number } {
  const perSide = comparisonSlices / 2;
  return { concurrency: ctx.concurrency, durationMs: ctx.durationMs / perSide, ...(maxOps === undefined ? {} : { maxOps: Math.ceil(maxOps / perSide) }) };
}

export async function createPhase(ctx: BenchContext, maxOps: number, run: CreateRun = { label: 'create', tag: 'c', warm: true }): Promise<Comparison> {
  if (run.warm) await warmUp(ctx);
  const slice = sliceOf(ctx, maxOps);
  return interleaved(ctx, `${run.label} (${ctx.concurrency} conc)`,
    (i) => closedLoop(slice, (_, s) => apiCreate(ctx, `bench-${run.tag}${i}-${s}`)),
    (i) => closedLoop(slice, (_, s) => etcdCreate(ctx, `bench-${run.tag}${i}-${s}`)));
}

/**
 * JIT, keep-alive sockets, etcd's and the apiserver's first allocations: a fresh apiserver spends two to
 * three times its steady CPU per create over its first ~2000 creates while V8 compiles the write path,
 * so each side gets the same, long warm-up. The warm-up objects live apart (their own namespace, their
 * own raw prefix), so the list phase lists only the measured pods and the RSS is not inflated by a bigger list.
 */
async function warmUp(ctx: BenchContext): Promise<void> {
  const conc = ctx.concurrency;
  const warmup = { concurrency: conc, durationMs: 30_000, maxOps: createWarmupOps };
  const warmNs = `${ctx.namespace}-warm`;
  const nsBody = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: warmNs } });
  const made = await ctx.api.request('POST', '/api/v1/namespaces', nsBody);
  if (made.status !== 201 && made.status !== 409) throw new Error(`create namespace ${warmNs}: HTTP ${made.status}: ${made.body.slice(0, 300)}`);
  await closedLoop(warmup, async (_, s) => { await ctx.api.expect(201, 'POST', `/api/v1/namespaces/${warmNs}/pods`, podJson(warmNs, `bench-warm-${s}`)); });
  await closedLoop(warmup, (_, s) => rawCreate(ctx, `${ctx.scratchPrefix}warm/bench-warm-${s}`, podJson(warmNs, `bench-warm-${s}`)));
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

export async function getPhase(ctx: BenchContext): Promise<Comparison> {
  const conc = ctx.concurrency;
  const apiGet = async (): Promise<void> => { await ctx.api.expect(200, 'GET', `${podPath(ctx, pick(ctx.pods))}?resourceVersion=0`); };
  const etcdGet = async (): Promise<void> => {
    const key = pick(ctx.rawKeys);
    if ((await ctx.etcd.get(key).string()) === null) throw new Error(`etcd get ${key}: missing`);
  };
  await closedLoop({ concurrency: conc, durationMs: 2000 }, apiGet);
  await closedLoop({ concurrency: conc, durationMs: 2000 }, etcdGet);
  const slice = sliceOf(ctx);
  return interleaved(ctx, `get rv=0 (${conc} conc)`, () => closedLoop(slice, apiGet), () => closedLoop(slice, etcdGet));
}

/** Each list moves megabytes; a few concurrent clients keep both sides busy without piling up requests. */
const listConcurrency = 4;

export async function listPhases(ctx: BenchContext): Promise<Comparison[]> {
  const count = ctx.pods.length;
  // The raw side must range over exactly as many keys as the namespace holds pods.
  const short = count - ctx.rawKeys.length;
  if (short > 0) await closedLoop({ concurrency: ctx.concurrency, durationMs: 60_000, maxOps: short }, (_, s) => etcdCreate(ctx, `bench-l-${s}`));
  const prefix = `${ctx.scratchPrefix}pods/`;
  const etcdList = async (): Promise<void> => {
    // Values decoded to strings, as the apiserver must before it can touch the JSON.
    const got = Object.keys(await ctx.etcd.getAll().prefix(prefix).limit(count).strings()).length;
    if (got !== count) throw new Error(`etcd range: ${got} keys, wanted ${count}`);
  };
  const listWith = (query: string) => async (): Promise<void> => { await ctx.api.expect(200, 'GET', `${podPath(ctx)}${query}`); };

  // Probe, before re-syncing, whether a consistent list survives etcd writes the apiserver did not see.
  const probe = await ctx.api.request('GET', `${podPath(ctx)}?fieldSelector=metadata.name%3Dbench-none`);
  const probeNote = probe.status === 200 ? undefined
    : `consistent list after raw-etcd writes outside /registry: HTTP ${probe.status}: ${probe.body.slice(0, 200)}`;
  await syncApiserver(ctx);
  const first = JSON.parse(await ctx.api.expect(200, 'GET', podPath(ctx))) as { items?: unknown[] };
  const served = first.items?.length ?? 0;
  const note = [probeNote, served === count ? undefined : `apiserver listed ${served} pods, bench created ${count}`]
    .filter((n) => n !== undefined).join('; ') || undefined;
  const duration = Math.max(2000, ctx.durationMs - 1000);
  const opts = { concurrency: listConcurrency, durationMs: duration };

  await closedLoop({ concurrency: listConcurrency, durationMs: 500 }, etcdList);
  const [etcd, cpuDuringEtcd] = await measured(ctx, () => closedLoop(opts, etcdList));
  const rows: Comparison[] = [];
  for (const [label, query] of [['list', ''], ['list rv=0', '?resourceVersion=0']] as const) {
    await closedLoop({ concurrency: listConcurrency, durationMs: 500 }, listWith(query));
    const [api, cpuDuringApi] = await measured(ctx, () => closedLoop(opts, listWith(query)));
    rows.push({ name: `${label} ${count} pods (${listConcurrency} conc)`, apiserver: api, etcd, cpuDuringApi, cpuDuringEtcd, note: rows.length === 0 ? note : undefined });
  }
  return rows;
}
