// A rate-limited work queue of object keys with client-go's guarantees: a key is never processed by two
// workers at once, a key added while in flight is processed again afterwards, and failures back off
// per key (5 ms doubling to 1000 s) so one broken object cannot starve the rest.
export interface ReconcileResult {
  /** Look at the key again after this many milliseconds even if nothing changes (deadlines, back-off). */
  requeueAfterMs?: number;
}

export type Reconciler = (key: string) => Promise<ReconcileResult | void>;

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private waiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(readonly name: string, private readonly baseDelayMs = 5, private readonly maxDelayMs = 1_000_000) {}

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.waiters.shift()?.();
  }

  /** Adds the key after a delay; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) { this.add(key); return; }
    if (this.timers.has(key)) return;
    const t = setTimeout(() => { this.timers.delete(key); this.add(key); }, ms);
    t.unref();
    this.timers.set(key, t);
  }

  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs));
  }

  /** Clears the key's failure count (after a success). */
  forget(key: string): void { this.failures.delete(key); }

  numRequeues(key: string): number { return this.failures.get(key) ?? 0; }

  get length(): number { return this.queue.length; }

  /** The next key, or undefined once the queue shuts down. The caller must call done(key). */
  async get(): Promise<string | undefined> {
    while (this.queue.length === 0) {
      if (this.shuttingDown) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
    const key = this.queue.shift()!;
    this.processing.add(key);
    this.dirty.delete(key);
    return key;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.waiters.shift()?.();
    }
  }

  shutdown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    const ws = this.waiters;
    this.waiters = [];
    ws.forEach((w) => w());
  }
}

/** Runs `workers` loops taking keys from the queue into reconcile until the queue shuts down. */
export function runWorkers(queue: WorkQueue, workers: number, reconcile: Reconciler, onError?: (key: string, err: unknown) => void): Promise<void[]> {
  const loop = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const res = await reconcile(key);
        queue.forget(key);
        if (res?.requeueAfterMs !== undefined) queue.addAfter(key, res.requeueAfterMs);
      } catch (err) {
        onError?.(key, err);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  return Promise.all(Array.from({ length: workers }, loop));
}
