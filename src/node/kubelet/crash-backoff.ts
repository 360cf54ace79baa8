// Upstream's container restart back-off: the first restart is immediate, then 10 s doubling to 5 min,
// measured from when the container last finished; a container that ran 10 min cleanly starts over.
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry { delayMs: number; lastRestart: number }

export class CrashBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** How long until `key` (which finished at `finishedAtMs`) may restart; 0 means now. */
  remaining(key: string, finishedAtMs: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    if (this.now() - e.lastRestart > 2 * MAX_BACKOFF_MS) { this.entries.delete(key); return 0; }
    return Math.max(0, finishedAtMs + e.delayMs - this.now());
  }

  /** The delay the next crash will wait, for the CrashLoopBackOff message. */
  delayMs(key: string): number { return this.entries.get(key)?.delayMs ?? 0; }

  /** Records a restart: the next one waits twice as long (10 s after the first). */
  restarted(key: string): void {
    const e = this.entries.get(key);
    const delayMs = e ? Math.min(e.delayMs * 2, MAX_BACKOFF_MS) : INITIAL_BACKOFF_MS;
    this.entries.set(key, { delayMs, lastRestart: this.now() });
  }

  forgetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** "10s", "1m20s", "5m0s" as Go's time.Duration prints whole seconds. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}
