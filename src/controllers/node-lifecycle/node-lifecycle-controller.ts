// The node lifecycle controller: every --node-monitor-period it checks each node's heartbeats (its Lease
// in kube-node-lease and its Ready condition); a node silent past the grace period gets Unknown
// conditions, Ready's condition drives the not-ready/unreachable NoSchedule and NoExecute taints, and
// pods on NoExecute-tainted nodes are evicted once their tolerationSeconds run out.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { isNotFound } from '../../client/api-error';
import { resources } from '../../client/resource-ref';
import type { Controller, ControllerContext } from '../controller';
import { desiredTaints, evictionTime, silentNodeConditions } from './node-health';
import { deepEqual } from '../../registry/object-meta';

const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function nodeLifecycleController(ctx: ControllerContext): Controller {
  const s = ctx.settings;
  const nodes = ctx.informers.for<Node>(resources.nodes);
  const leases = ctx.informers.for<Lease>(resources.leases, { namespace: 'kube-node-lease' });
  const pods = ctx.informers.for<Pod>(resources.pods);
  pods.addIndex('nodeName', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
  /** The last heartbeat seen per node and when this controller saw it change (its own clock, as upstream). */
  const probes = new Map<string, { heartbeat: string; seenAt: number }>();

  const heartbeatOf = (node: Node, name: string) =>
    `${leases.get('kube-node-lease', name)?.spec?.renewTime ?? ''}|${node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime ?? ''}`;

  const checkNode = async (name: string, now: number) => {
    let node = nodes.get(undefined, name);
    if (!node) { probes.delete(name); return; }
    const hb = heartbeatOf(node, name);
    const probe = probes.get(name);
    if (!probe || probe.heartbeat !== hb) probes.set(name, { heartbeat: hb, seenAt: now });
    const hasReady = node.status?.conditions?.some((c) => c.type === 'Ready') ?? false;
    const grace = hasReady ? s.nodeMonitorGracePeriodMs : s.nodeStartupGracePeriodMs;
    if (now - (probes.get(name)?.seenAt ?? now) > grace) {
      const conditions = silentNodeConditions(node, timestamp());
      if (conditions) {
        node = await ctx.client.updateStatus<Node>(resources.nodes, { ...node, status: { ...node.status, conditions } });
        ctx.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        ctx.log('node stopped posting status', { node: name });
      }
    }
    const taints = desiredTaints(node, timestamp());
    if (!deepEqual(taints, node.spec?.taints ?? [])) {
      node = await ctx.client.update<Node>(resources.nodes, { ...node, spec: { ...node.spec, taints: taints.length ? taints : undefined } });
    }
    await evictPods(node, now);
  };

  const evictPods = async (node: Node, now: number) => {
    const taints = node.spec?.taints ?? [];
    if (!taints.some((t) => t.effect === 'NoExecute')) return;
    for (const pod of pods.byIndex('nodeName', node.metadata?.name ?? '')) {
      if (pod.metadata?.deletionTimestamp) continue;
      const at = evictionTime(pod, taints);
      if (at === undefined || at > now) continue;
      const ns = pod.metadata?.namespace;
      const name = pod.metadata?.name ?? '';
      try {
        await ctx.client.patch(resources.pods, ns, name, { status: { conditions: [{
          type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager',
          message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: timestamp(),
        }] } }, 'strategic', 'status');
        ctx.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`);
        await ctx.client.delete(resources.pods, ns, name, { preconditions: { uid: pod.metadata?.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  };

  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const now = Date.now();
      for (const n of nodes.list()) {
        const name = n.metadata?.name ?? '';
        await checkNode(name, now).catch((err: unknown) => ctx.log('node lifecycle: node check failed', { node: name, err: String(err) }));
      }
    } finally {
      running = false;
    }
  };

  return {
    name: 'nodelifecycle',
    run() { setInterval(() => { void tick(); }, s.nodeMonitorPeriodMs); void tick(); },
  };
}
