// Memory at scale: fill the apiserver to a fixed number of pods through the API at high concurrency,
// then read its resident set (and etcd's, for reference) from /proc.
import { ApiClient } from './api-client';
import { podJson } from './pod';
import { closedLoop, rate, sleep, type LoadResult } from './stats';
import { memoryOf, type MemoryKb } from './procfs';
import { podPath, type BenchContext } from './context';

export interface MemoryResult {
  targetPods: number;
  /** Pods in etcd under /registry when RSS was read. */
  podsInEtcd: number;
  /** Pods the apiserver returned from a cached list afterwards. */
  podsListed: number;
  fill: LoadResult;
  fillRate: number;
  apiserver?: MemoryKb;
  etcd?: MemoryKb;
}

const fillConcurrency = 64;

async function registryPodCount(ctx: BenchContext): Promise<number> {
  return ctx.etcd.getAll().prefix('/registry/pods/').count();
}

export async function memoryPhase(ctx: BenchContext, targetPods: number): Promise<MemoryResult> {
  const api = new ApiClient(ctx.creds, fillConcurrency);
  let fill: LoadResult = { ops: 0, seconds: 0, latenciesMs: [], errors: 0 };
  let podsInEtcd = await registryPodCount(ctx);
  // A create that timed out may still have landed, so the count in etcd, not our tally, decides when to stop.
  for (let round = 0; round < 3 && podsInEtcd < targetPods; round++) {
    const r = await closedLoop({ concurrency: fillConcurrency, durationMs: 90_000, maxOps: targetPods - podsInEtcd }, async (_, s) => {
      const name = `bench-m${round}-${s}`;
      await api.expect(201, 'POST', podPath(ctx), podJson(ctx.namespace, name));
      ctx.pods.push(name);
    });
    fill = { ops: fill.ops + r.ops, seconds: fill.seconds + r.seconds, latenciesMs: fill.latenciesMs.concat(r.latenciesMs),
      errors: fill.errors + r.errors, firstError: fill.firstError ?? r.firstError };
    podsInEtcd = await registryPodCount(ctx);
  }
  await api.close();
  // Let the watch cache catch up and short-lived request garbage be collected before sampling.
  await sleep(3000);
  const apiserver = memoryOf(ctx.pids.apiserver);
  const etcd = ctx.pids.etcd === undefined ? undefined : memoryOf(ctx.pids.etcd);
  const listed = JSON.parse(await ctx.api.expect(200, 'GET', '/api/v1/pods?resourceVersion=0')) as { items?: unknown[] };
  return { targetPods, podsInEtcd, podsListed: listed.items?.length ?? 0, fill, fillRate: rate(fill), apiserver, etcd };
}
