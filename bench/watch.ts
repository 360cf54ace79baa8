// Watch fan-out: many concurrent watchers, objects created one at a time, and the delay from just
// before each create was sent to the event reaching every watcher — apiserver watches beside raw etcd3 ones.
import { performance } from 'node:perf_hooks';
import type { Watcher } from 'etcd3';
import { ApiClient, type StreamHandle } from './api-client';
import { podJson } from './pod';
import { sleep } from './stats';
import { podPath, syncApiserver, type BenchContext } from './context';

export interface WatchResult {
  watchers: number;
  events: number;
  latenciesMs: number[];
  /** Deliveries that had not arrived within the per-event timeout. */
  missed: number;
  setupSeconds: number;
  errors: number;
  firstError?: string;
}

/** Tracks, for the one event in flight, when it was sent and which watchers still await it. */
class Inflight {
  private name = '';
  private sentAt = 0;
  private remaining = 0;
  private record = false;
  private done: () => void = () => undefined;
  readonly latenciesMs: number[] = [];

  begin(name: string, watchers: number, record: boolean): Promise<void> {
    this.name = name;
    this.remaining = watchers;
    this.record = record;
    const all = new Promise<void>((resolve) => { this.done = resolve; });
    this.sentAt = performance.now();
    return all;
  }

  arrived(name: string): void {
    if (name !== this.name || this.remaining === 0) return;
    if (this.record) this.latenciesMs.push(performance.now() - this.sentAt);
    if (--this.remaining === 0) this.done();
  }

  /** Stops waiting for the current event; returns how many watchers never saw it. */
  abandon(): number {
    const missed = this.remaining;
    this.remaining = 0;
    this.name = '';
    return missed;
  }
}

const warmupEvents = 3;
const eventTimeoutMs = 3000;
/** Spacing between events, so each one's latency is measured on an otherwise idle pipeline. */
const gapMs = 20;

async function drive(events: number, watchers: number, inflight: Inflight, prefix: string,
  create: (name: string) => Promise<void>): Promise<{ missed: number; errors: number; firstError?: string }> {
  let missed = 0;
  let errors = 0;
  let firstError: string | undefined;
  for (let i = -warmupEvents; i < events; i++) {
    const name = `${prefix}${i < 0 ? `warm${-i}` : String(i)}`;
    const all = inflight.begin(name, watchers, i >= 0);
    let created = false;
    try {
      await create(name);
      created = true;
      await Promise.race([all, sleep(eventTimeoutMs)]);
    } catch (err) {
      errors++;
      firstError ??= err instanceof Error ? err.message : String(err);
    }
    const lost = inflight.abandon();
    if (i >= 0 && created) missed += lost;
    await sleep(gapMs);
  }
  return { missed, errors, firstError };
}

export async function apiserverWatch(ctx: BenchContext, watchers: number, events: number): Promise<WatchResult> {
  const watchApi = new ApiClient(ctx.creds, watchers + 16);
  await syncApiserver(ctx);
  // As `kubectl get -w` does: a paginated list, then a watch from the list's resourceVersion.
  const list = JSON.parse(await ctx.api.expect(200, 'GET', `${podPath(ctx)}?limit=1`)) as { metadata?: { resourceVersion?: string } };
  const rv = list.metadata?.resourceVersion ?? '0';
  const inflight = new Inflight();
  const prefix = `bench-w-${Date.now().toString(36)}-`;
  const marker = `"name":"${prefix}`;
  // Pulling out just the name keeps this client's per-event cost far below a full JSON.parse of each line.
  const onLine = (line: string): void => {
    const at = line.indexOf(marker);
    if (at < 0) return;
    const start = at + '"name":"'.length;
    inflight.arrived(line.slice(start, line.indexOf('"', start)));
  };
  const t0 = performance.now();
  const handles: StreamHandle[] = [];
  // Opened in batches, since hundreds of simultaneous TLS handshakes would only measure the handshake storm.
  for (let i = 0; i < watchers; i += 50) {
    const batch = Array.from({ length: Math.min(50, watchers - i) },
      () => watchApi.stream(`${podPath(ctx)}?watch=true&resourceVersion=${rv}`, onLine));
    handles.push(...await Promise.all(batch));
  }
  const setupSeconds = (performance.now() - t0) / 1000;
  try {
    const r = await drive(events, watchers, inflight, prefix, async (name) => {
      await ctx.api.expect(201, 'POST', podPath(ctx), podJson(ctx.namespace, name));
      ctx.pods.push(name);
    });
    return { watchers, events, latenciesMs: inflight.latenciesMs, setupSeconds, ...r };
  } finally {
    for (const h of handles) h.close();
    await watchApi.close();
  }
}

export async function etcdWatch(ctx: BenchContext, watchers: number, events: number): Promise<WatchResult> {
  const prefix = `${ctx.scratchPrefix}watch/`;
  const inflight = new Inflight();
  const t0 = performance.now();
  const ws: Watcher[] = [];
  for (let i = 0; i < watchers; i += 50) {
    ws.push(...await Promise.all(Array.from({ length: Math.min(50, watchers - i) }, () => ctx.etcd.watch().prefix(prefix).create())));
  }
  for (const w of ws) w.on('put', (kv) => inflight.arrived(kv.key.toString().slice(prefix.length)));
  const setupSeconds = (performance.now() - t0) / 1000;
  try {
    const r = await drive(events, watchers, inflight, 'bench-w-', async (name) => {
      const key = `${prefix}${name}`;
      const res = await ctx.etcd.if(key, 'Create', '==', 0).then(ctx.etcd.put(key).value(podJson(ctx.namespace, name))).commit();
      if (!res.succeeded) throw new Error(`etcd txn on ${key}: key already exists`);
    });
    return { watchers, events, latenciesMs: inflight.latenciesMs, setupSeconds, ...r };
  } finally {
    await Promise.all(ws.map((w) => w.cancel()));
  }
}
