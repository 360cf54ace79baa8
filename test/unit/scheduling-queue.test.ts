// The scheduling queue: priority order, back-off, the unschedulable set and what moves pods out of it.
import { backoffMs, SchedulingQueue } from '../../src/scheduler/scheduling-queue';
import { pod } from './scheduler-fixtures';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

const names = (q: SchedulingQueue): string[] => {
  const out: string[] = [];
  for (let p = q.popNow(); p; p = q.popNow()) out.push(p.pod.metadata!.name!);
  return out;
};

describe('scheduling queue', () => {
  it('pops by priority, then in arrival order', () => {
    const c = clock();
    const q = new SchedulingQueue(c.now);
    q.add(pod('low1', { priority: 0 })); c.advance(1);
    q.add(pod('high', { priority: 1000 })); c.advance(1);
    q.add(pod('low2', { priority: 0 })); c.advance(1);
    q.add(pod('mid', { priority: 10 }));
    expect(names(q)).toEqual(['high', 'mid', 'low1', 'low2']);
  });

  it('an update to a queued pod reorders it', () => {
    const q = new SchedulingQueue(clock().now);
    q.add(pod('a', { priority: 1 }));
    q.add(pod('b', { priority: 2 }));
    q.add(pod('a', { priority: 5 }));
    expect(names(q)).toEqual(['a', 'b']);
  });

  it('backs off 1 s doubling to 10 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('keeps unschedulable pods until a cluster event, then through their back-off', () => {
    const c = clock();
    const q = new SchedulingQueue(c.now);
    q.add(pod('p'));
    const p = q.popNow()!;
    q.addUnschedulable(p);
    expect(q.unschedulableLength).toBe(1);
    c.advance(500);
    q.flush();
    expect(q.activeLength).toBe(0);
    q.moveAllToActiveOrBackoff();
    expect(q.backoffLength).toBe(1);
    c.advance(499);
    q.flush();
    expect(q.activeLength).toBe(0);
    c.advance(1);
    q.flush();
    expect(names(q)).toEqual(['p']);
  });

  it('moves only the pods an event can help', () => {
    const c = clock();
    const q = new SchedulingQueue(c.now);
    q.add(pod('a')); q.add(pod('b', { labels: { app: 'x' } }));
    q.addUnschedulable(q.popNow()!); q.addUnschedulable(q.popNow()!);
    c.advance(5000);
    q.moveAllToActiveOrBackoff((p) => p.metadata?.labels?.app === 'x');
    expect(names(q)).toEqual(['b']);
    expect(q.unschedulableLength).toBe(1);
  });

  it('retries pods parked for 60 s without any event', () => {
    const c = clock();
    const q = new SchedulingQueue(c.now);
    q.add(pod('p'));
    q.addUnschedulable(q.popNow()!);
    c.advance(59_999);
    q.flush();
    expect(q.activeLength).toBe(0);
    c.advance(1);
    q.flush();
    expect(names(q)).toEqual(['p']);
  });

  it('a cluster event during an attempt sends the failed pod to back-off, not to the unschedulable set', () => {
    const c = clock();
    const q = new SchedulingQueue(c.now);
    q.add(pod('p'));
    const p = q.popNow()!;
    q.moveAllToActiveOrBackoff();
    q.addUnschedulable(p);
    expect(q.unschedulableLength).toBe(0);
    expect(q.backoffLength).toBe(1);
  });

  it('deleting a pod removes it from every queue', () => {
    const q = new SchedulingQueue(clock().now);
    q.add(pod('a')); q.add(pod('b'));
    q.addUnschedulable(q.popNow()!);
    q.delete('default/a'); q.delete('default/b');
    expect(q.length).toBe(0);
  });

  it('pop waits for a pod', async () => {
    const q = new SchedulingQueue();
    const popped = q.pop();
    q.add(pod('late'));
    expect((await popped)?.pod.metadata?.name).toBe('late');
    q.close();
    expect(await q.pop()).toBeUndefined();
  });
});
