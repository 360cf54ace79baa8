// Slow-start batches (upstream's slowStartBatch): run `count` calls in batches of 1, 2, 4, ... and stop
// at the first batch with a failure, so a quota or admission error costs one call, not hundreds.
export interface SlowStartResult { succeeded: number; error?: unknown }

export async function slowStartBatch(count: number, initialBatch: number, fn: () => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let succeeded = 0;
  for (let batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    succeeded += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { succeeded, error: failed.reason };
    remaining -= batch;
  }
  return { succeeded };
}
