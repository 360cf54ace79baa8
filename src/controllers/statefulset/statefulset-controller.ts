// The StatefulSet controller: owns pods <set>-<ordinal> (adopting matching orphans of that name), keeps a
// ControllerRevision per template (current and update revision, history trimmed to revisionHistoryLimit),
// creates each pod's PersistentVolumeClaims before the pod, takes the step stateful-set-plan decides, and
// writes status through the status subresource.
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { ObjectReference, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error';
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
import {
  createRevision, newRevision, nextRevision, revisionsToTrim, sortRevisions, templateOf, templatePatch, type RevisionOwner,
} from '../history/controller-history';
import { errorMessage } from '../replicaset/replicaset-controller';
import { claimsFor, isMemberOf, ordinalOf, revisionOfPod, withIdentity } from './stateful-pod';
import { planStatefulSet, statefulSetStatus, type PlanInput, type StatefulAction } from './stateful-set-plan';

function referenceTo(set: StatefulSet): ObjectReference {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: set.metadata?.namespace, name: set.metadata?.name, uid: set.metadata?.uid, resourceVersion: set.metadata?.resourceVersion };
}

function safeSelector(set: StatefulSet): LabelSelector | null {
  try { return fromLabelSelector(set.spec?.selector); } catch { return null; }
}

interface Revisions { current: ControllerRevision; update: ControllerRevision; collisionCount: number; all: ControllerRevision[] }

class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  private readonly queue = new WorkQueue('statefulset');
  private readonly setInformer: Informer<StatefulSet>;
  private readonly podInformer: Informer<Pod>;
  private readonly revInformer: Informer<ControllerRevision>;

  constructor(private readonly ctx: ControllerContext) {
    this.setInformer = ctx.informers.for<StatefulSet>(resources.statefulsets);
    this.podInformer = ctx.informers.for<Pod>(resources.pods);
    this.podInformer.addIndex(byControllerUid, indexByControllerUid);
    this.revInformer = ctx.informers.for<ControllerRevision>(resources.controllerrevisions);
    this.revInformer.addIndex(byControllerUid, indexByControllerUid);
    for (const ev of ['add', 'update', 'delete'] as const) {
      this.setInformer.on(ev, (s) => this.queue.add(objectKey(s)));
      this.podInformer.on(ev, (p) => this.podChanged(p));
    }
  }

  run(workers: number): void {
    void runWorkers(this.queue, workers, (key) => this.sync(key),
      (key, err) => this.ctx.log('statefulset sync failed', { key, err: errorMessage(err) }));
  }

  private podChanged(pod: Pod): void {
    const ref = controllerRefOf(pod);
    if (ref) {
      if (ref.kind !== 'StatefulSet') return;
      const set = this.setInformer.get(pod.metadata?.namespace, ref.name);
      if (set?.metadata?.uid === ref.uid) this.queue.add(objectKey(set));
      return;
    }
    if (pod.metadata?.deletionTimestamp) return;
    for (const set of this.setInformer.list(pod.metadata?.namespace)) {
      const sel = safeSelector(set);
      if (sel && !sel.empty() && sel.matches(pod.metadata?.labels) && isMemberOf(set, pod)) this.queue.add(objectKey(set));
    }
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.setInformer.getByKey(key);
    if (!cached) return;
    const set = structuredClone(cached);
    const selector = safeSelector(set);
    if (!selector || selector.empty()) return;
    const ref = newControllerRef(set, 'apps/v1', 'StatefulSet');
    const pods = await this.claimPods(set, selector, ref);
    const revs = await this.revisions(set, ref);
    const currentSet: StatefulSet = { ...set, spec: { ...set.spec!, template: templateOf(revs.current) } };
    const input: PlanInput = {
      updateSet: set, currentSet, currentRevision: revs.current.metadata?.name ?? '', updateRevision: revs.update.metadata?.name ?? '',
      pods, ref, now: Date.now(),
    };
    const actions = planStatefulSet(input);
    const status = statefulSetStatus(input, revs.collisionCount);
    for (const a of actions) await this.act(set, a);
    await this.writeStatus(set, status);
    await this.trimHistory(set, revs, pods, status);
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && (status.readyReplicas ?? 0) > status.availableReplicas!) return { requeueAfterMs: minReady * 1000 };
  }

  /** Owned pods after adopting orphans that match and carry the set's name, and releasing ones that no longer match. */
  private async claimPods(set: StatefulSet, selector: LabelSelector, ref: OwnerReference): Promise<Pod[]> {
    const uid = set.metadata?.uid ?? '';
    const candidates = this.podInformer.list(set.metadata?.namespace)
      .filter((p) => controllerRefOf(p)?.uid === uid || (!controllerRefOf(p) && isMemberOf(set, p)));
    const claims = claim(uid, selector, candidates, !!set.metadata?.deletionTimestamp);
    const pods = [...claims.owned];
    for (const p of claims.adopt) {
      try { pods.push(await this.ctx.client.update(resources.pods, withControllerRef(p, ref))); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    for (const p of claims.release) {
      try { await this.ctx.client.update(resources.pods, withoutOwner(p, uid)); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    return pods.sort((a, b) => ordinalOf(a) - ordinalOf(b));
  }

  /** The current and update revisions (getStatefulSetRevisions): a template seen before is that revision again, renumbered as the newest. */
  private async revisions(set: StatefulSet, ref: OwnerReference): Promise<Revisions> {
    const { client } = this.ctx;
    const owner: RevisionOwner = {
      ref, namespace: set.metadata?.namespace, name: set.metadata?.name ?? '',
      templateLabels: set.spec?.template?.metadata?.labels, annotations: set.metadata?.annotations,
    };
    const sorted = sortRevisions(this.revInformer.byIndex(byControllerUid, ref.uid).filter((r) => !r.metadata?.deletionTimestamp));
    let collisionCount = set.status?.collisionCount ?? 0;
    const candidate = newRevision(owner, templatePatch(set.spec?.template), nextRevision(sorted));
    const equal = sorted.filter((r) => deepEqual(r.data, candidate.data));
    let update: ControllerRevision;
    if (equal.length && equal[equal.length - 1] === sorted[sorted.length - 1]) {
      update = sorted[sorted.length - 1];
    } else if (equal.length) {
      update = await client.update(resources.controllerrevisions, { ...equal[equal.length - 1], revision: candidate.revision });
    } else {
      ({ revision: update, collisionCount } = await createRevision(client, owner, candidate, collisionCount));
    }
    const current = sorted.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount, all: sorted };
  }

  private async act(set: StatefulSet, a: StatefulAction): Promise<void> {
    const { client, recorder } = this.ctx;
    const ns = set.metadata?.namespace;
    const setName = set.metadata?.name;
    if (a.type === 'create') {
      await this.createClaims(set, a.ordinal, a.pod);
      try {
        await client.create(resources.pods, ns, a.pod);
        recorder.event(referenceTo(set), 'Normal', 'SuccessfulCreate', `create Pod ${a.pod.metadata?.name} in StatefulSet ${setName} successful`);
      } catch (err) {
        // A cache behind its own writes still lacks the pod: nothing to do.
        if (isAlreadyExists(err)) return;
        recorder.event(referenceTo(set), 'Warning', 'FailedCreate', `create Pod ${a.pod.metadata?.name} in StatefulSet ${setName} failed error: ${errorMessage(err)}`);
        throw err;
      }
      return;
    }
    if (a.type === 'fixIdentity') {
      try { await client.update(resources.pods, withIdentity(set, a.pod)); } catch (err) { if (!isNotFound(err) && !isConflict(err)) throw err; }
      return;
    }
    if (a.reason === 'scale' && set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') await this.handClaimsToPod(set, a.pod);
    try {
      // The uid precondition keeps a stale cache from deleting a replacement of the same name.
      await client.delete(resources.pods, ns, a.pod.metadata?.name ?? '', { preconditions: { uid: a.pod.metadata?.uid } });
      recorder.event(referenceTo(set), 'Normal', 'SuccessfulDelete', `delete Pod ${a.pod.metadata?.name} in StatefulSet ${setName} successful`);
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return;
      recorder.event(referenceTo(set), 'Warning', 'FailedDelete', `delete Pod ${a.pod.metadata?.name} in StatefulSet ${setName} failed error: ${errorMessage(err)}`);
      throw err;
    }
  }

  /** The pod's claims that do not exist yet; whenDeleted: Delete makes the set their owner, so they go with it. */
  private async createClaims(set: StatefulSet, ordinal: number, pod: Pod): Promise<void> {
    const { client, recorder } = this.ctx;
    const ownedBySet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
    for (const c of claimsFor(set, ordinal).values()) {
      if (ownedBySet) c.metadata!.ownerReferences = [{ ...newControllerRef(set, 'apps/v1', 'StatefulSet'), controller: undefined, blockOwnerDeletion: true }];
      try {
        await client.create(resources.persistentvolumeclaims, set.metadata?.namespace, c);
        recorder.event(referenceTo(set), 'Normal', 'SuccessfulCreate', `create Claim ${c.metadata?.name} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} success`);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        recorder.event(referenceTo(set), 'Warning', 'FailedCreate', `create Claim ${c.metadata?.name} for Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${errorMessage(err)}`);
        throw err;
      }
    }
  }

  /** whenScaled: Delete: a condemned pod becomes its claims' owner, so the garbage collector removes them after it. */
  private async handClaimsToPod(set: StatefulSet, pod: Pod): Promise<void> {
    const podRef: OwnerReference = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
    for (const c of claimsFor(set, ordinalOf(pod)).values()) {
      const cur = await this.ctx.client.find<PersistentVolumeClaim>(resources.persistentvolumeclaims, set.metadata?.namespace, c.metadata?.name ?? '');
      if (!cur || cur.metadata?.ownerReferences?.some((r) => r.uid === podRef.uid)) continue;
      await this.ctx.client.update(resources.persistentvolumeclaims, { ...cur, metadata: { ...cur.metadata, ownerReferences: [...(cur.metadata?.ownerReferences ?? []), podRef] } });
    }
  }

  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    const cur: StatefulSetStatus = set.status ?? { replicas: 0 };
    if (deepEqual({ ...cur, conditions: undefined }, { ...status, conditions: undefined })) return;
    const next = { ...status, ...(cur.conditions ? { conditions: cur.conditions } : {}) };
    try {
      await this.ctx.client.updateStatus(resources.statefulsets, { ...set, status: next });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      const fresh = await this.ctx.client.get<StatefulSet>(resources.statefulsets, set.metadata?.namespace, set.metadata?.name ?? '');
      await this.ctx.client.updateStatus(resources.statefulsets, { ...fresh, status: next });
    }
  }

  /** Deletes the oldest revisions beyond revisionHistoryLimit that no pod and neither status revision uses. */
  private async trimHistory(set: StatefulSet, revs: Revisions, pods: Pod[], status: StatefulSetStatus): Promise<void> {
    const live = new Set([...pods.map(revisionOfPod), status.currentRevision ?? '', status.updateRevision ?? '', revs.current.metadata?.name ?? '', revs.update.metadata?.name ?? '']);
    const all = sortRevisions([...revs.all.filter((r) => r.metadata?.name !== revs.update.metadata?.name), revs.update]);
    for (const r of revisionsToTrim(all, live, set.spec?.revisionHistoryLimit ?? 10)) {
      try { await this.ctx.client.delete(resources.controllerrevisions, set.metadata?.namespace, r.metadata?.name ?? ''); } catch (err) { if (!isNotFound(err)) throw err; }
    }
  }
}

export const statefulSetController: ControllerFactory = (ctx) => new StatefulSetController(ctx);
