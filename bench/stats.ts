// Load generation and latency statistics shared by every bench phase: a closed-loop runner
// (N workers, each issuing its next request as soon as the last returns) and percentiles.
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  ops: number;
  seconds: number;
  latenciesMs: number[];
  errors: number;
  firstError?: string;
}

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  /** Stop early after this many successful ops, so phases that create objects stay bounded. */
  maxOps?: number;
}

export async function closedLoop(opts: LoadOptions, op: (worker: number, seq: number) => Promise<void>): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const start = performance.now();
  const deadline = start + opts.durationMs;
  const limit = opts.maxOps ?? Number.POSITIVE_INFINITY;
  const worker = async (w: number): Promise<void> => {
    while (performance.now() < deadline && issued < limit) {
      const seq = issued++;
      const t0 = performance.now();
      try {
        await op(w, seq);
        latenciesMs.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
        // A failing target answers fast; without a pause the loop would spin and flood the log of errors.
        if (errors > 1000) return;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - start) / 1000;
  return { ops: latenciesMs.length, seconds, latenciesMs, errors, firstError };
}

/** Several runs of one side as one: their ops, time and latencies together. */
export function combineLoads(runs: LoadResult[]): LoadResult {
  return {
    ops: runs.reduce((n, r) => n + r.ops, 0),
    seconds: runs.reduce((n, r) => n + r.seconds, 0),
    latenciesMs: runs.flatMap((r) => r.latenciesMs),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    firstError: runs.find((r) => r.firstError !== undefined)?.firstError,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function rate(r: LoadResult): number {
  return r.seconds > 0 ? r.ops / r.seconds : 0;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
