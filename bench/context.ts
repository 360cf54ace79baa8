// What every phase shares: the API client, a raw etcd3 client on the same etcd, the names written so
// far and the pids whose CPU and memory the report shows.
import type { Etcd3 } from 'etcd3';
import type { ApiClient } from './api-client';
import type { ApiCredentials } from './cluster';
import type { LoadResult } from './stats';
import type { CpuUse } from './procfs';

export interface BenchContext {
  api: ApiClient;
  creds: ApiCredentials;
  etcd: Etcd3;
  namespace: string;
  /** Raw-etcd keys live here, outside /registry, so the apiserver never sees them. */
  scratchPrefix: string;
  /** Names of pods created through the API (all in `namespace`). */
  pods: string[];
  /** Keys created raw under `${scratchPrefix}pods/`. */
  rawKeys: string[];
  pids: { apiserver: number; etcd?: number };
  concurrency: number;
  durationMs: number;
}

/** One benchmark row: the apiserver doing a job beside raw etcd3 doing the equivalent. */
export interface Comparison {
  name: string;
  apiserver: LoadResult;
  etcd: LoadResult;
  /** CPU of apiserver, etcd and this client during each side's measured run. */
  cpuDuringApi: CpuUse;
  cpuDuringEtcd: CpuUse;
  note?: string;
}

export function podPath(ctx: BenchContext, name?: string): string {
  return `/api/v1/namespaces/${ctx.namespace}/pods${name ? `/${name}` : ''}`;
}

let syncs = 0;

/**
 * Writes one object through the API so the apiserver's cache catches up with etcd's head revision.
 * Raw-etcd writes outside /registry move that revision without the cache seeing an event, and the
 * apiserver (as of writing) waits for the cache to reach it on consistent reads.
 */
export async function syncApiserver(ctx: BenchContext): Promise<void> {
  const name = `bench-sync-${syncs++}`;
  await ctx.api.expect(201, 'POST', `/api/v1/namespaces/${ctx.namespace}/configmaps`,
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { purpose: 'advance the watch cache' } }));
}
