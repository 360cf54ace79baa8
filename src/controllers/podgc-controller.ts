// Pod garbage collection, every --pod-gc-period as upstream's podgc: force-deletes pods bound to nodes
// that have been gone longer than the quarantine (marked Failed with a DisruptionTarget condition first),
// terminating pods that were never scheduled, and the oldest terminated pods beyond
// --terminated-pod-gc-threshold.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { isNotFound } from '../client/api-error';
import { resources } from '../client/resource-ref';
import type { Controller, ControllerContext } from './controller';

const isTerminated = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** The terminated pods to delete, oldest first, so that `threshold` remain (none when threshold <= 0). */
export function terminatedPodsOverThreshold(pods: Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter((p) => isTerminated(p) && !p.metadata?.deletionTimestamp);
  if (terminated.length <= threshold) return [];
  return terminated
    .sort((a, b) => Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? '')
      || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .slice(0, terminated.length - threshold);
}

export function podGcController(ctx: ControllerContext): Controller {
  const s = ctx.settings;
  const pods = ctx.informers.for<Pod>(resources.pods);
  const nodes = ctx.informers.for<Node>(resources.nodes);
  /** When each missing node was first found missing. */
  const missingSince = new Map<string, number>();

  const forceDelete = async (pod: Pod) => {
    try {
      await ctx.client.delete(resources.pods, pod.metadata?.namespace, pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
      ctx.log('pod gc deleted pod', { namespace: pod.metadata?.namespace, name: pod.metadata?.name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  const nodeGone = async (name: string, now: number): Promise<boolean> => {
    if (nodes.get(undefined, name)) { missingSince.delete(name); return false; }
    const since = missingSince.get(name) ?? now;
    missingSince.set(name, since);
    if (now - since < s.podGcOrphanQuarantineMs) return false;
    // The cache may lag: only the apiserver's NotFound counts.
    try {
      await ctx.client.get(resources.nodes, undefined, name);
      return false;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  };

  const gcOrphaned = async (pod: Pod) => {
    const ns = pod.metadata?.namespace;
    const name = pod.metadata?.name ?? '';
    const status: Record<string, unknown> = { conditions: [{
      type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists',
      lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }] };
    if (!isTerminated(pod)) status.phase = 'Failed';
    try {
      await ctx.client.patch(resources.pods, ns, name, { status }, 'strategic', 'status');
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await forceDelete(pod);
  };

  const gc = async () => {
    const now = Date.now();
    const all = pods.list();
    for (const p of terminatedPodsOverThreshold(all, s.terminatedPodGcThreshold)) await forceDelete(p);
    const checked = new Map<string, boolean>();
    for (const p of all) {
      const node = p.spec?.nodeName;
      if (!node) {
        if (p.metadata?.deletionTimestamp) await forceDelete(p);
        continue;
      }
      if (!checked.has(node)) checked.set(node, await nodeGone(node, now));
      if (checked.get(node)) await gcOrphaned(p);
    }
    for (const n of missingSince.keys()) if (!checked.has(n)) missingSince.delete(n);
  };

  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    void gc().catch((err: unknown) => ctx.log('pod gc failed', { err: String(err) })).finally(() => { running = false; });
  };
  return {
    name: 'podgc',
    run() { setInterval(tick, s.podGcPeriodMs); tick(); },
  };
}
