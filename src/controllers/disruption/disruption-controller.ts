// The disruption controller: keeps each PodDisruptionBudget's status (expected, desired and current healthy
// pods, disruptions allowed, the DisruptionAllowed condition) up to date from the pods it selects, which the
// eviction subresource reads before letting a pod go. A failed sync allows no disruption (SyncFailed).
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
import { isConflict, isNotFound } from '../../client/api-error';
import { EventRecorder } from '../../client/event-recorder';
import { objectKey, splitKey } from '../../client/informer';
import { resources, type ResourceRef } from '../../client/resource-ref';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { fromLabelSelector } from '../../registry/label-selector';
import { deepEqual } from '../../registry/object-meta';
import type { Controller, ControllerContext } from '../controller';
import { controllerRefOf } from '../controller-ref';
import { budgetStatus, countHealthy, disruptionCondition, expectedPods, liveDisruptions, type ScaleOf } from './disruption-budget';

const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** policy/v1: an empty selector selects every pod of the namespace, a missing one none. */
export function budgetSelects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  try {
    const s = fromLabelSelector(pdb.spec?.selector);
    return s !== null && (s.empty() || s.matches(pod.metadata?.labels));
  } catch { return false; }
}

export function disruptionController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('disruption');
  const budgets = ctx.informers.for<PodDisruptionBudget>(resources.poddisruptionbudgets);
  const pods = ctx.informers.for<Pod>(resources.pods);
  const recorder = new EventRecorder(ctx.client, 'controllermanager');
  const onBudget = (b: PodDisruptionBudget) => queue.add(objectKey(b));
  budgets.on('add', onBudget);
  budgets.on('update', onBudget);
  // Any pod change in a namespace may move its budgets' counts (labels may have changed, so all of them).
  const onPod = (p: Pod) => { for (const b of budgets.list(p.metadata?.namespace)) queue.add(objectKey(b)); };
  pods.on('add', onPod);
  pods.on('update', onPod);
  pods.on('delete', onPod);

  /** The pod's controller's scale, following a ReplicaSet up to its Deployment, as upstream's finders do. */
  const scaleOf = (cache: Map<string, Promise<unknown>>): ScaleOf => async (pod) => {
    const ref = controllerRefOf(pod);
    if (!ref) return 'unmanaged';
    const ns = pod.metadata?.namespace;
    const get = <T>(r: ResourceRef, name: string): Promise<T | undefined> => {
      const k = `${r.plural}/${name}`;
      let p = cache.get(k) as Promise<T | undefined> | undefined;
      if (!p) cache.set(k, p = ctx.client.find(r, ns, name) as Promise<T | undefined>);
      return p;
    };
    const group = ref.apiVersion.split('/').length === 2 ? ref.apiVersion.split('/')[0] : '';
    const noController = new Error(`found no controllers for pod "${pod.metadata?.name}"`);
    if (group === 'apps' && ref.kind === 'ReplicaSet') {
      const rs = await get<ReplicaSet>(resources.replicasets, ref.name);
      if (!rs || rs.metadata?.uid !== ref.uid) throw noController;
      const owner = controllerRefOf(rs);
      if (owner?.kind === 'Deployment') {
        const d = await get<Deployment>(resources.deployments, owner.name);
        if (!d || d.metadata?.uid !== owner.uid) throw noController;
        return { uid: d.metadata.uid ?? '', replicas: d.spec?.replicas ?? 1 };
      }
      return { uid: rs.metadata.uid ?? '', replicas: rs.spec?.replicas ?? 1 };
    }
    const kinds: Record<string, ResourceRef> = { 'apps/StatefulSet': resources.statefulsets, '/ReplicationController': resources.replicationcontrollers };
    const r = kinds[`${group}/${ref.kind}`];
    if (!r) throw noController;
    const owner = await get<StatefulSet | ReplicationController>(r, ref.name);
    if (!owner || owner.metadata?.uid !== ref.uid) throw noController;
    return { uid: owner.metadata.uid ?? '', replicas: owner.spec?.replicas ?? 1 };
  };

  const writeStatus = async (pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus) => {
    if (deepEqual(pdb.status ?? {}, JSON.parse(JSON.stringify(status)))) return;
    await ctx.client.updateStatus(resources.poddisruptionbudgets, { ...pdb, status });
  };

  const reconcile = async (key: string) => {
    const { namespace, name } = splitKey(key);
    const pdb = budgets.get(namespace, name);
    if (!pdb) return;
    try {
      const selected = pods.list(namespace).filter((p) => budgetSelects(pdb, p));
      if (selected.length === 0) recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
      let expected;
      try {
        expected = await expectedPods(pdb, selected, scaleOf(new Map()));
      } catch (err) {
        recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      if (expected.unmanaged.length) {
        recorder.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector)}) were found `
          + 'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. '
          + 'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.');
      }
      const now = Date.now();
      const { disrupted, recheckAt } = liveDisruptions(pdb, selected, now);
      await writeStatus(pdb, budgetStatus(pdb, countHealthy(selected, disrupted), expected, disrupted, timestamp()));
      return recheckAt === undefined ? undefined : { requeueAfterMs: Math.max(0, recheckAt - now) + 1 };
    } catch (err) {
      if (isConflict(err)) throw err;
      // Fail safe: while the budget cannot be computed, nothing may be disrupted through it.
      const message = err instanceof Error ? err.message : String(err);
      await writeStatus(pdb, {
        ...pdb.status, disruptionsAllowed: 0,
        conditions: disruptionCondition(pdb.status?.conditions, 'False', 'SyncFailed', message, pdb.status?.observedGeneration, timestamp()),
      } as PodDisruptionBudgetStatus);
      throw err;
    }
  };

  return {
    name: 'disruption',
    run(workers) {
      void runWorkers(queue, workers, reconcile, (key, err) => {
        if (!isConflict(err) && !isNotFound(err)) ctx.log('disruption sync failed', { key, err: String(err) });
      });
    },
  };
}
