// The controllers' work queue: dedup while queued, no concurrent processing of one key, re-run of a key
// added while in flight, and per-key back-off on failure.
import { runWorkers, WorkQueue } from '../../src/client/work-queue';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('keeps one copy of a key that is added twice before it is taken', async () => {
    const q = new WorkQueue('t');
    q.add('a'); q.add('a'); q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('holds a key re-added while processing until done, then hands it out again', async () => {
    const q = new WorkQueue('t');
    q.add('a');
    const k = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    q.done(k!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('never reconciles one key on two workers at once, and retries failures with back-off', async () => {
    const q = new WorkQueue('t', 5);
    let inFlight = 0; let maxInFlight = 0; let calls = 0;
    const done = runWorkers(q, 4, async () => {
      calls++;
      inFlight++; maxInFlight = Math.max(maxInFlight, inFlight);
      await tick(5);
      inFlight--;
      if (calls < 3) throw new Error('transient');
    });
    q.add('k'); await tick(1); q.add('k'); q.add('k');
    await tick(120);
    expect(maxInFlight).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(q.numRequeues('k')).toBe(0);
    q.shutdown();
    await done;
  });

  it('doubles the delay for each failure of the same key', async () => {
    jest.useFakeTimers();
    try {
      const q = new WorkQueue('t', 10);
      q.addRateLimited('x'); // 10 ms
      jest.advanceTimersByTime(9); expect(q.length).toBe(0);
      jest.advanceTimersByTime(1); expect(q.length).toBe(1);
      q.done((await q.get())!);
      q.addRateLimited('x'); // 20 ms
      jest.advanceTimersByTime(19); expect(q.length).toBe(0);
      jest.advanceTimersByTime(1); expect(q.length).toBe(1);
      q.forget('x');
      expect(q.numRequeues('x')).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
