// Controller expectations (upstream's UIDTrackingControllerExpectations): after asking for N creates or
// deletes, a controller waits until its informer has seen them (or 5 minutes pass) before it acts on
// that key again, so a cache that lags its own writes never makes it create or delete twice.
export const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation { add: number; del: number; at: number; deleting: Set<string> }

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when nothing is outstanding for the key (or what was expected is too old to wait for). */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.now() - e.at > expectationsTimeoutMs;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, del: 0, at: this.now(), deleting: new Set() });
  }

  /** Expects the deletion of these pods (namespace/name keys), each counted once when observed. */
  expectDeletions(key: string, podKeys: string[]): void {
    this.byKey.set(key, { add: 0, del: podKeys.length, at: this.now(), deleting: new Set(podKeys) });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    const e = this.byKey.get(key);
    if (e?.deleting.delete(podKey)) e.del--;
  }

  /** Lowers the expected creations when some were never attempted or failed. */
  creationsSkipped(key: string, n: number): void {
    const e = this.byKey.get(key);
    if (e) e.add -= n;
  }

  forget(key: string): void { this.byKey.delete(key); }

  pending(key: string): { add: number; del: number } | undefined {
    const e = this.byKey.get(key);
    return e && { add: e.add, del: e.del };
  }
}
