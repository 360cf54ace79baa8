// The scheduling queue, after upstream's: an active heap ordered by priority then queue time; a back-off
// queue (1 s doubling to 10 s per failed attempt); and the unschedulable pods, which cluster events move
// back (through back-off if still within it) and which are retried anyway after 60 s.
import type { Pod } from 'kubernetes-types/core/v1';
import { podKey } from './node-info';
import { podPriority } from './priority';

export interface QueuedPod {
  key: string;
  pod: Pod;
  /** When it entered the queue it is in (the active queue's tie-break). */
  timestamp: number;
  attempts: number;
  /** When its last attempt failed, for its back-off. */
  failedAt: number;
}

export const initialBackoffMs = 1000;
export const maxBackoffMs = 10_000;
export const maxUnschedulableMs = 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.max(0, attempts - 1));
}

/** Heap order: higher priority first, then earlier queue time. */
function before(a: QueuedPod, b: QueuedPod): boolean {
  const pa = podPriority(a.pod);
  const pb = podPriority(b.pod);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

class Heap {
  private readonly items: QueuedPod[] = [];
  private readonly index = new Map<string, number>();

  get size(): number { return this.items.length; }
  has(key: string): boolean { return this.index.has(key); }
  get(key: string): QueuedPod | undefined { const i = this.index.get(key); return i === undefined ? undefined : this.items[i]; }

  push(q: QueuedPod): void {
    if (this.index.has(q.key)) { this.remove(q.key); }
    this.items.push(q);
    this.index.set(q.key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): QueuedPod | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0];
    this.remove(top.key);
    return top;
  }

  remove(key: string): QueuedPod | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const q = this.items[i];
    const last = this.items.pop()!;
    this.index.delete(key);
    if (i < this.items.length) {
      this.items[i] = last;
      this.index.set(last.key, i);
      this.down(i);
      this.up(i);
    }
    return q;
  }

  values(): QueuedPod[] { return [...this.items]; }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(this.items[i], this.items[p])) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.items.length && before(this.items[l], this.items[m])) m = l;
      if (r < this.items.length && before(this.items[r], this.items[m])) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    [this.items[a], this.items[b]] = [this.items[b], this.items[a]];
    this.index.set(this.items[a].key, a);
    this.index.set(this.items[b].key, b);
  }
}

export class SchedulingQueue {
  private readonly active = new Heap();
  private readonly backoff = new Map<string, QueuedPod>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Pods being scheduled right now: a move request during their attempt sends them to back-off, not to the unschedulable set. */
  private readonly inFlight = new Map<string, number>();
  private moveRequests = 0;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  get activeLength(): number { return this.active.size; }
  get backoffLength(): number { return this.backoff.size; }
  get unschedulableLength(): number { return this.unschedulable.size; }
  get length(): number { return this.active.size + this.backoff.size + this.unschedulable.size; }

  has(key: string): boolean { return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key); }

  /** A new pending pod, or a newer version of one already queued. */
  add(pod: Pod): void {
    const key = podKey(pod);
    const queued = this.active.get(key) ?? this.backoff.get(key);
    if (queued) { queued.pod = pod; if (this.active.has(key)) this.active.push(queued); return; }
    const parked = this.unschedulable.get(key);
    if (parked) {
      // An update to the pod itself may make it schedulable: retry it (after its back-off).
      parked.pod = pod;
      this.unschedulable.delete(key);
      this.requeue(parked);
      return;
    }
    if (this.inFlight.has(key)) return;
    this.pushActive({ key, pod, timestamp: this.now(), attempts: 0, failedAt: 0 });
  }

  delete(key: string): void {
    this.active.remove(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
  }

  /** The highest-priority active pod; waits while none is active. Undefined once closed. */
  async pop(): Promise<QueuedPod | undefined> {
    while (this.active.size === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
    return this.popNow();
  }

  /** The highest-priority active pod, or undefined. */
  popNow(): QueuedPod | undefined {
    const q = this.active.pop();
    if (!q) return undefined;
    q.attempts++;
    this.inFlight.set(q.key, this.moveRequests);
    return q;
  }

  /** The attempt ended with the pod bound (or gone). */
  done(key: string): void { this.inFlight.delete(key); }

  /** The attempt found no node: park the pod, unless the cluster changed meanwhile. */
  addUnschedulable(q: QueuedPod): void {
    const movedSince = (this.inFlight.get(q.key) ?? this.moveRequests) < this.moveRequests;
    this.inFlight.delete(q.key);
    q.failedAt = this.now();
    q.timestamp = q.failedAt;
    if (movedSince) this.backoff.set(q.key, q); else this.unschedulable.set(q.key, q);
  }

  /** The attempt failed for a transient reason (an API error): retry after back-off. */
  addBackoff(q: QueuedPod): void {
    this.inFlight.delete(q.key);
    q.failedAt = this.now();
    q.timestamp = q.failedAt;
    this.backoff.set(q.key, q);
  }

  /** A cluster event that may make parked pods schedulable; `which` narrows it to the pods it can help. */
  moveAllToActiveOrBackoff(which?: (pod: Pod) => boolean): void {
    this.moveRequests++;
    for (const [key, q] of this.unschedulable) {
      if (which && !which(q.pod)) continue;
      this.unschedulable.delete(key);
      this.requeue(q);
    }
  }

  /** Moves pods whose back-off ended to the active queue, and retries pods parked for over 60 s. */
  flush(): void {
    const now = this.now();
    for (const [key, q] of this.backoff) {
      if (q.failedAt + backoffMs(q.attempts) <= now) { this.backoff.delete(key); this.pushActive(q); }
    }
    for (const [key, q] of this.unschedulable) {
      if (now - q.timestamp >= maxUnschedulableMs) { this.unschedulable.delete(key); this.requeue(q); }
    }
  }

  /** Pending pods the queue holds, e.g. to find who is nominated where. */
  pods(): Pod[] {
    return [...this.active.values(), ...this.backoff.values(), ...this.unschedulable.values()].map((q) => q.pod);
  }

  close(): void {
    this.closed = true;
    const ws = this.waiters;
    this.waiters = [];
    ws.forEach((w) => w());
  }

  private requeue(q: QueuedPod): void {
    if (q.failedAt + backoffMs(q.attempts) > this.now()) { this.backoff.set(q.key, q); return; }
    this.pushActive(q);
  }

  private pushActive(q: QueuedPod): void {
    q.timestamp = this.now();
    this.active.push(q);
    this.waiters.shift()?.();
  }
}
