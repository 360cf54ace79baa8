// The Deployment controller: owns ReplicaSets by controller reference, gives each pod template its own
// ReplicaSet (<deployment>-<pod-template-hash>, numbered by revision annotations), and moves replicas
// from old sets to the new one as the strategy allows (RollingUpdate within maxSurge/maxUnavailable, or
// Recreate), scales a rollout proportionally, honours pause, trims history to revisionHistoryLimit, and
// reports status with the Progressing and Available conditions.
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { ObjectReference, Pod } from 'kubernetes-types/core/v1';
import { isAlreadyExists, isNotFound } from '../../client/api-error';
import type { Informer } from '../../client/informer';
import { objectKey } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { runWorkers, WorkQueue, type ReconcileResult } from '../../client/work-queue';
import { fromLabelSelector, type LabelSelector } from '../../registry/label-selector';
import { deepEqual } from '../../registry/object-meta';
import type { Controller, ControllerContext, ControllerFactory } from '../controller';
import {
  byControllerUid, claim, controllerRefOf, indexByControllerUid, newControllerRef, withControllerRef, withoutOwner,
} from '../controller-ref';
import { errorMessage } from '../replicaset/replicaset-controller';
import {
  calculateStatus, condition, getCondition, hasProgressDeadline, isComplete, pausedCondition, rolloutStatus, setCondition,
} from './deployment-status';
import { podTemplateHash, podTemplateHashLabel } from './pod-template-hash';
import {
  desiredReplicasAnnotation, equalIgnoreHash, findNewReplicaSet, maxRevision, replicasAnnotationsNeedUpdate, replicaSetsToCleanUp,
  revisionAnnotation, revisionOf, setNewReplicaSetAnnotations, setReplicasAnnotations,
} from './revisions';
import {
  byCreation, desiredOf, maxSurge, newRSNewReplicas, planOldScaleDown, planProportionalScale, replicasOf,
} from './rollout-arithmetic';

function referenceTo(d: Deployment): ObjectReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', namespace: d.metadata?.namespace, name: d.metadata?.name, uid: d.metadata?.uid, resourceVersion: d.metadata?.resourceVersion };
}

const active = (rss: ReplicaSet[]): ReplicaSet[] => rss.filter((rs) => replicasOf(rs) > 0);

interface Sets { newRS?: ReplicaSet; oldRSs: ReplicaSet[] }

class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly queue = new WorkQueue('deployment');
  private readonly dInformer: Informer<Deployment>;
  private readonly rsInformer: Informer<ReplicaSet>;
  private readonly podInformer: Informer<Pod>;
  private readonly rsOwner = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext) {
    this.dInformer = ctx.informers.for<Deployment>(resources.deployments);
    this.rsInformer = ctx.informers.for<ReplicaSet>(resources.replicasets);
    this.rsInformer.addIndex(byControllerUid, indexByControllerUid);
    this.podInformer = ctx.informers.for<Pod>(resources.pods);
    this.podInformer.addIndex(byControllerUid, indexByControllerUid);
    for (const ev of ['add', 'update', 'delete'] as const) this.dInformer.on(ev, (d) => this.queue.add(objectKey(d)));
    this.rsInformer.on('add', (rs) => this.rsChanged(rs));
    this.rsInformer.on('update', (rs) => this.rsChanged(rs));
    this.rsInformer.on('delete', (rs) => { this.rsOwner.delete(objectKey(rs)); this.enqueueOwner(rs); });
    // Recreate waits for the old pods to be gone.
    this.podInformer.on('delete', (p) => {
      const rs = this.rsInformer.get(p.metadata?.namespace, controllerRefOf(p)?.name ?? '');
      if (rs && rs.metadata?.uid === controllerRefOf(p)?.uid) this.enqueueOwner(rs);
    });
  }

  run(workers: number): void {
    void runWorkers(this.queue, workers, (key) => this.sync(key),
      (key, err) => this.ctx.log('deployment sync failed', { key, err: errorMessage(err) }));
  }

  private enqueueOwner(rs: ReplicaSet): boolean {
    const ref = controllerRefOf(rs);
    if (!ref || ref.kind !== 'Deployment') return false;
    const d = this.dInformer.get(rs.metadata?.namespace, ref.name);
    if (d?.metadata?.uid !== ref.uid) return false;
    this.queue.add(objectKey(d));
    return true;
  }

  private rsChanged(rs: ReplicaSet): void {
    const key = objectKey(rs);
    const before = this.rsOwner.get(key);
    const ref = controllerRefOf(rs);
    if (before && before !== ref?.uid) {
      const old = this.dInformer.list(rs.metadata?.namespace).find((d) => d.metadata?.uid === before);
      if (old) this.queue.add(objectKey(old));
    }
    if (ref) { this.rsOwner.set(key, ref.uid); this.enqueueOwner(rs); return; }
    this.rsOwner.delete(key);
    if (rs.metadata?.deletionTimestamp) return;
    for (const d of this.dInformer.list(rs.metadata?.namespace)) {
      const sel = safeSelector(d);
      if (sel && !sel.empty() && sel.matches(rs.metadata?.labels)) this.queue.add(objectKey(d));
    }
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.dInformer.getByKey(key);
    if (!cached) return;
    let d = structuredClone(cached);
    const selector = safeSelector(d);
    if (!selector) return;
    if (selector.empty()) {
      this.ctx.recorder.event(referenceTo(d), 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        await this.writeStatus(d, { ...d.status, observedGeneration: d.metadata?.generation });
      }
      return;
    }
    const rsList = await this.claimReplicaSets(d, selector);
    if (d.metadata?.deletionTimestamp) {
      const sets = this.split(d, rsList);
      await this.syncStatusOnly(d, sets);
      return;
    }
    const paused = pausedCondition(d, Date.now());
    if (paused) {
      const status: DeploymentStatus = structuredClone(d.status ?? {});
      setCondition(status, paused);
      d = await this.writeStatus(d, status);
    }
    let sets = this.split(d, rsList);
    ({ d, sets } = await this.syncRevision(d, sets));
    if (d.spec?.paused || this.isScalingEvent(d, sets)) return this.syncScale(d, sets);
    return d.spec?.strategy?.type === 'Recreate' ? this.rolloutRecreate(d, sets) : this.rolloutRolling(d, sets);
  }

  /** Owned ReplicaSets after adopting matching orphans and releasing ones that no longer match. */
  private async claimReplicaSets(d: Deployment, selector: LabelSelector): Promise<ReplicaSet[]> {
    const uid = d.metadata?.uid ?? '';
    const claims = claim(uid, selector, this.rsInformer.list(d.metadata?.namespace), !!d.metadata?.deletionTimestamp);
    const owned = [...claims.owned];
    const ref = newControllerRef(d, 'apps/v1', 'Deployment');
    for (const rs of claims.adopt) {
      try { owned.push(await this.ctx.client.update(resources.replicasets, withControllerRef(rs, ref))); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    for (const rs of claims.release) {
      try { await this.ctx.client.update(resources.replicasets, withoutOwner(rs, uid)); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    return owned;
  }

  private split(d: Deployment, rsList: ReplicaSet[]): Sets {
    const newRS = findNewReplicaSet(d, [...rsList].sort(byCreation));
    return { newRS, oldRSs: rsList.filter((rs) => rs !== newRS) };
  }

  /** Keeps an existing new ReplicaSet's revision and annotations current, and the Deployment's revision with it. */
  private async syncRevision(d: Deployment, sets: Sets): Promise<{ d: Deployment; sets: Sets }> {
    const existing = sets.newRS;
    if (!existing) return { d, sets };
    const copy = structuredClone(existing);
    const desired = desiredOf(d);
    const changed = setNewReplicaSetAnnotations(d, copy, maxRevision(sets.oldRSs) + 1, true, desired, desired + maxSurge(d));
    let newRS = existing;
    if (changed || (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0)) {
      copy.spec = { ...copy.spec!, minReadySeconds: d.spec?.minReadySeconds };
      newRS = await this.ctx.client.update(resources.replicasets, copy);
    }
    d = await this.setDeploymentRevision(d, revisionOf(newRS));
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      const status: DeploymentStatus = structuredClone(d.status ?? {});
      setCondition(status, condition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${newRS.metadata?.name}"`, Date.now()));
      d = await this.writeStatus(d, status);
    }
    return { d, sets: { newRS, oldRSs: sets.oldRSs } };
  }

  private async setDeploymentRevision(d: Deployment, revision: number): Promise<Deployment> {
    if (revision === 0 || d.metadata?.annotations?.[revisionAnnotation] === String(revision)) return d;
    const patched = await this.ctx.client.patch<Deployment>(resources.deployments, d.metadata?.namespace, d.metadata?.name ?? '',
      { metadata: { annotations: { [revisionAnnotation]: String(revision) } } });
    return { ...patched, status: d.status };
  }

  /** Creates the ReplicaSet for the Deployment's current template (getNewReplicaSet with create). */
  private async createNewReplicaSet(d: Deployment, oldRSs: ReplicaSet[]): Promise<{ d: Deployment; newRS: ReplicaSet }> {
    const template = structuredClone(d.spec!.template);
    const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount);
    const md = (template.metadata ??= {});
    md.labels = { ...md.labels, [podTemplateHashLabel]: hash };
    const selector = structuredClone(d.spec!.selector);
    selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata?.name}-${hash}`, namespace: d.metadata?.namespace, labels: { ...md.labels },
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    };
    rs.spec!.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    const desired = desiredOf(d);
    setNewReplicaSetAnnotations(d, rs, maxRevision(oldRSs) + 1, false, desired, desired + maxSurge(d));
    let created: ReplicaSet;
    let alreadyExisted = false;
    try {
      created = await this.ctx.client.create(resources.replicasets, d.metadata?.namespace, rs);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const found = await this.ctx.client.get<ReplicaSet>(resources.replicasets, d.metadata?.namespace, rs.metadata!.name!);
      if (controllerRefOf(found)?.uid !== d.metadata?.uid || !equalIgnoreHash(found.spec?.template, d.spec?.template)) {
        // A hash collision: the next name comes from the bumped collisionCount.
        await this.writeStatus(d, { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 });
        throw new Error(`hash collision for ReplicaSet ${rs.metadata?.name}; collisionCount raised`);
      }
      created = found;
      alreadyExisted = true;
    }
    if (!alreadyExisted && replicasOf(created) > 0) {
      this.ctx.recorder.event(referenceTo(d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${replicasOf(created)}`);
    }
    d = await this.setDeploymentRevision(d, revisionOf(created));
    if (!alreadyExisted && hasProgressDeadline(d)) {
      const status: DeploymentStatus = structuredClone(d.status ?? {});
      setCondition(status, condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${created.metadata?.name}"`, Date.now()));
      d = await this.writeStatus(d, status);
    }
    return { d, newRS: created };
  }

  /** Writes a ReplicaSet's size (and the replica annotations); records ScalingReplicaSet when the size changes. */
  private async scaleReplicaSet(d: Deployment, rs: ReplicaSet, size: number): Promise<ReplicaSet> {
    const desired = desiredOf(d);
    const sizeChanges = replicasOf(rs) !== size;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, desired + maxSurge(d))) return rs;
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec!, replicas: size };
    setReplicasAnnotations(copy, desired, desired + maxSurge(d));
    const updated = await this.ctx.client.update(resources.replicasets, copy);
    if (sizeChanges) {
      const dir = size > replicasOf(rs) ? 'up' : 'down';
      this.ctx.recorder.event(referenceTo(d), 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata?.name} from ${replicasOf(rs)} to ${size}`);
    }
    return updated;
  }

  private isScalingEvent(d: Deployment, sets: Sets): boolean {
    const all = sets.newRS ? [...sets.oldRSs, sets.newRS] : sets.oldRSs;
    return active(all).some((rs) => {
      const v = rs.metadata?.annotations?.[desiredReplicasAnnotation];
      return v !== undefined && v !== String(desiredOf(d));
    });
  }

  /** Resizes without rolling (paused or a scaling event): the active set or every set in proportion (scale()). */
  private async syncScale(d: Deployment, sets: Sets): Promise<ReconcileResult | void> {
    let { newRS, oldRSs } = sets;
    const desired = desiredOf(d);
    const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
    const activeAll = active(newRS ? [...newestFirst, newRS] : newestFirst);
    const replace = (rs: ReplicaSet): void => {
      if (newRS && newRS.metadata?.uid === rs.metadata?.uid) newRS = rs;
      else oldRSs = oldRSs.map((o) => (o.metadata?.uid === rs.metadata?.uid ? rs : o));
    };
    const only = activeAll.length === 1 ? activeAll[0] : activeAll.length === 0 ? (newRS ?? newestFirst[0]) : undefined;
    if (only) {
      if (replicasOf(only) !== desired) replace(await this.scaleReplicaSet(d, only, desired));
    } else if (newRS && replicasOf(newRS) === desired && newRS.metadata?.annotations?.[desiredReplicasAnnotation] === String(desired) &&
      (newRS.status?.availableReplicas ?? 0) === desired) {
      for (const rs of active(oldRSs)) replace(await this.scaleReplicaSet(d, rs, 0));
    } else if (d.spec?.strategy?.type !== 'Recreate') {
      const plan = planProportionalScale(d, activeAll);
      for (const rs of activeAll) replace(await this.scaleReplicaSet(d, rs, plan.get(rs.metadata?.name ?? '') ?? replicasOf(rs)));
    }
    if (d.spec?.paused) await this.cleanup(d, oldRSs);
    await this.syncStatusOnly(d, { newRS, oldRSs });
  }

  private async syncStatusOnly(d: Deployment, sets: Sets): Promise<void> {
    const all = sets.newRS ? [...sets.oldRSs, sets.newRS] : sets.oldRSs;
    const status = calculateStatus(d, all, sets.newRS, Date.now());
    if (!statusEqual(d.status, status)) await this.writeStatus(d, status);
  }

  private async rolloutRolling(d: Deployment, sets: Sets): Promise<ReconcileResult | void> {
    let { newRS } = sets;
    let oldRSs = sets.oldRSs;
    if (!newRS) ({ d, newRS } = await this.createNewReplicaSet(d, oldRSs));
    const desired = desiredOf(d);
    if (replicasOf(newRS) !== desired) {
      const target = replicasOf(newRS) > desired ? desired : newRSNewReplicas(d, [...oldRSs, newRS], newRS);
      if (target !== replicasOf(newRS)) {
        newRS = await this.scaleReplicaSet(d, newRS, target);
        return this.syncRolloutStatus(d, [...oldRSs, newRS], newRS);
      }
    }
    const plan = planOldScaleDown(d, active(oldRSs), newRS);
    let scaled = false;
    for (const [name, size] of plan) {
      const rs = oldRSs.find((o) => o.metadata?.name === name)!;
      if (size === replicasOf(rs)) continue;
      const updated = await this.scaleReplicaSet(d, rs, size);
      oldRSs = oldRSs.map((o) => (o === rs ? updated : o));
      scaled = true;
    }
    if (!scaled && d.status && isComplete(d, d.status)) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(d, [...oldRSs, newRS], newRS);
  }

  private async rolloutRecreate(d: Deployment, sets: Sets): Promise<ReconcileResult | void> {
    let { newRS } = sets;
    let oldRSs = sets.oldRSs;
    const all = (): ReplicaSet[] => (newRS ? [...oldRSs, newRS] : oldRSs);
    let scaledDown = false;
    for (const rs of active(oldRSs)) {
      const updated = await this.scaleReplicaSet(d, rs, 0);
      oldRSs = oldRSs.map((o) => (o === rs ? updated : o));
      scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus(d, all(), newRS);
    // Recreate: no new pod starts while an old one may still run.
    const oldRunning = oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0 ||
      this.podInformer.byIndex(byControllerUid, rs.metadata?.uid ?? '').some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'));
    if (oldRunning) return this.syncRolloutStatus(d, all(), newRS);
    if (!newRS) ({ d, newRS } = await this.createNewReplicaSet(d, oldRSs));
    if (replicasOf(newRS) !== desiredOf(d)) newRS = await this.scaleReplicaSet(d, newRS, desiredOf(d));
    if (d.status && isComplete(d, d.status)) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(d, all(), newRS);
  }

  private async syncRolloutStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<ReconcileResult | void> {
    const { status, requeueAfterMs } = rolloutStatus(d, allRSs, newRS, Date.now());
    if (!statusEqual(d.status, status)) await this.writeStatus(d, status);
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  /** Deletes old ReplicaSets beyond revisionHistoryLimit. */
  private async cleanup(d: Deployment, oldRSs: ReplicaSet[]): Promise<void> {
    for (const rs of replicaSetsToCleanUp(d, oldRSs)) {
      try { await this.ctx.client.delete(resources.replicasets, rs.metadata?.namespace, rs.metadata?.name ?? ''); } catch (err) { if (!isNotFound(err)) throw err; }
    }
  }

  private async writeStatus(d: Deployment, status: DeploymentStatus): Promise<Deployment> {
    return this.ctx.client.updateStatus<Deployment>(resources.deployments, { ...d, status });
  }
}

function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return deepEqual(a ?? {}, b);
}

function safeSelector(d: Deployment): LabelSelector | null {
  try { return fromLabelSelector(d.spec?.selector); } catch { return null; }
}

export const deploymentController: ControllerFactory = (ctx) => new DeploymentController(ctx);
