// The ReplicaSet controller: keeps spec.replicas active pods for every ReplicaSet, owning them by
// controller reference (adopting matching orphans, releasing pods that stop matching), creating in
// slow-start batches and deleting in upstream's rank order, never acting on a key while expectations of
// its own creates/deletes are still unobserved; and writes status through the status subresource.
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { ObjectReference, Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isConflict, isNotFound, ApiError } from '../../client/api-error';
import type { Informer } from '../../client/informer';
import { objectKey } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { runWorkers, WorkQueue, type ReconcileResult } from '../../client/work-queue';
import { fromLabelSelector, type LabelSelector } from '../../registry/label-selector';
import type { Controller, ControllerContext, ControllerFactory } from '../controller';
import {
  byControllerUid, claim, controllerRefOf, indexByControllerUid, newControllerRef, withControllerRef, withoutOwner,
} from '../controller-ref';
import { Expectations } from '../expectations';
import { isPodActive, isPodReady } from '../pod-readiness';
import { slowStartBatch } from '../slow-start';
import { podsToDelete } from './pod-ranking';
import { replicaSetStatus, statusNeedsUpdate, type ManageError } from './replica-set-status';

/** At most this many creates or deletes per sync (upstream's BurstReplicas). */
export const burstReplicas = 500;

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.status?.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}

/** The pod a ReplicaSet creates from its template (GetPodFromTemplate). */
export function podFromTemplate(rs: ReplicaSet, ref: OwnerReference): Pod {
  const t = rs.spec?.template;
  const md = t?.metadata;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata?.name}-`,
      namespace: rs.metadata?.namespace,
      labels: { ...md?.labels },
      ...(md?.annotations ? { annotations: { ...md.annotations } } : {}),
      ...(md?.finalizers ? { finalizers: [...md.finalizers] } : {}),
      ownerReferences: [ref],
    },
    spec: structuredClone(t?.spec ?? { containers: [] }),
  };
}

function referenceTo(rs: ReplicaSet): ObjectReference {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: rs.metadata?.namespace, name: rs.metadata?.name,
    uid: rs.metadata?.uid, resourceVersion: rs.metadata?.resourceVersion,
  };
}

class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  private readonly queue = new WorkQueue('replicaset');
  private readonly expectations = new Expectations();
  private readonly rsInformer: Informer<ReplicaSet>;
  private readonly podInformer: Informer<Pod>;
  /** The controller uid each pod last had, so the old owner hears of a release or a change of owner. */
  private readonly podOwner = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext) {
    this.rsInformer = ctx.informers.for<ReplicaSet>(resources.replicasets);
    this.rsInformer.addIndex(byControllerUid, indexByControllerUid);
    this.podInformer = ctx.informers.for<Pod>(resources.pods);
    this.podInformer.addIndex(byControllerUid, indexByControllerUid);
    this.rsInformer.on('add', (rs) => this.queue.add(objectKey(rs)));
    this.rsInformer.on('update', (rs) => this.queue.add(objectKey(rs)));
    this.rsInformer.on('delete', (rs) => { this.expectations.forget(objectKey(rs)); this.queue.add(objectKey(rs)); });
    this.podInformer.on('add', (p) => this.podAdded(p));
    this.podInformer.on('update', (p) => this.podUpdated(p));
    this.podInformer.on('delete', (p) => this.podDeleted(p));
  }

  run(workers: number): void {
    void runWorkers(this.queue, workers, (key) => this.sync(key),
      (key, err) => this.ctx.log('replicaset sync failed', { key, err: errorMessage(err) }));
  }

  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): ReplicaSet | undefined {
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.rsInformer.get(namespace, ref.name);
    return rs?.metadata?.uid === ref.uid ? rs : undefined;
  }

  private enqueueSelecting(pod: Pod): void {
    for (const rs of this.rsInformer.list(pod.metadata?.namespace)) {
      const sel = safeSelector(rs);
      if (sel && !sel.empty() && sel.matches(pod.metadata?.labels)) this.queue.add(objectKey(rs));
    }
  }

  private enqueueByUid(namespace: string | undefined, uid: string): void {
    const rs = this.rsInformer.list(namespace).find((r) => r.metadata?.uid === uid);
    if (rs) this.queue.add(objectKey(rs));
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) { this.podDeleted(pod); return; }
    const ref = controllerRefOf(pod);
    if (ref) this.podOwner.set(objectKey(pod), ref.uid);
    if (!ref) { this.enqueueSelecting(pod); return; }
    const rs = this.resolve(pod.metadata?.namespace, ref);
    if (!rs) return;
    this.expectations.creationObserved(objectKey(rs));
    this.queue.add(objectKey(rs));
  }

  private podUpdated(pod: Pod): void {
    const key = objectKey(pod);
    const ref = controllerRefOf(pod);
    const before = this.podOwner.get(key);
    if (before && before !== ref?.uid) this.enqueueByUid(pod.metadata?.namespace, before);
    if (ref) this.podOwner.set(key, ref.uid); else this.podOwner.delete(key);
    if (pod.metadata?.deletionTimestamp) { this.observeDeletion(pod); return; }
    if (!ref) { this.enqueueSelecting(pod); return; }
    const rs = this.resolve(pod.metadata?.namespace, ref);
    if (!rs) return;
    this.queue.add(objectKey(rs));
    // A pod that just became ready becomes available minReadySeconds later: look again then.
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && isPodReady(pod)) this.queue.addAfter(objectKey(rs), (minReady + 1) * 1000);
  }

  private podDeleted(pod: Pod): void {
    this.podOwner.delete(objectKey(pod));
    this.observeDeletion(pod);
  }

  private observeDeletion(pod: Pod): void {
    const rs = this.resolve(pod.metadata?.namespace, controllerRefOf(pod));
    if (!rs) return;
    this.expectations.deletionObserved(objectKey(rs), objectKey(pod));
    this.queue.add(objectKey(rs));
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const rs = this.rsInformer.getByKey(key);
    if (!rs) { this.expectations.forget(key); return; }
    const selector = safeSelector(rs);
    if (!selector) return;
    const needsSync = this.expectations.satisfied(key) && !rs.metadata?.deletionTimestamp;
    const ns = rs.metadata?.namespace;
    const uid = rs.metadata?.uid ?? '';
    const active = this.podInformer.list(ns).filter(isPodActive);
    const claims = claim(uid, selector, active, !!rs.metadata?.deletionTimestamp);
    const ref = newControllerRef(rs, 'apps/v1', 'ReplicaSet');
    const pods = [...claims.owned];
    for (const p of claims.adopt) {
      try { pods.push(await this.ctx.client.update(resources.pods, withControllerRef(p, ref))); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    for (const p of claims.release) {
      try { await this.ctx.client.update(resources.pods, withoutOwner(p, uid)); } catch (err) { if (!isNotFound(err)) throw err; }
    }

    const manageError = needsSync ? await this.manageReplicas(key, rs, pods, ref) : undefined;
    const now = Date.now();
    const status = replicaSetStatus(rs, pods, manageError, now);
    if (statusNeedsUpdate(rs, status)) await this.writeStatus(rs, status);
    if (manageError) throw new Error(manageError.message);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const replicas = rs.spec?.replicas ?? 1;
    if (minReady > 0 && status.readyReplicas === replicas && status.availableReplicas !== replicas) {
      return { requeueAfterMs: minReady * 1000 };
    }
  }

  private async writeStatus(rs: ReplicaSet, status: ReplicaSet['status']): Promise<void> {
    try {
      await this.ctx.client.updateStatus(resources.replicasets, { ...rs, status });
    } catch (err) {
      if (!isConflict(err)) throw err;
      // One retry on the object as it is now, as upstream does.
      const fresh = await this.ctx.client.get<ReplicaSet>(resources.replicasets, rs.metadata?.namespace, rs.metadata?.name ?? '');
      await this.ctx.client.updateStatus(resources.replicasets, { ...fresh, status });
    }
  }

  /** Creates or deletes pods toward spec.replicas; returns the failure to report, if any. */
  private async manageReplicas(key: string, rs: ReplicaSet, pods: Pod[], ref: OwnerReference): Promise<ManageError | undefined> {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const { client, recorder } = this.ctx;
    const ns = rs.metadata?.namespace;
    if (diff < 0) {
      const n = Math.min(-diff, burstReplicas);
      this.expectations.expectCreations(key, n);
      const res = await slowStartBatch(n, 1, async () => {
        try {
          const created = await client.create(resources.pods, ns, podFromTemplate(rs, ref));
          recorder.event(referenceTo(rs), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
        } catch (err) {
          recorder.event(referenceTo(rs), 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
          throw err;
        }
      });
      // Creates that failed or were never tried will never be observed.
      this.expectations.creationsSkipped(key, n - res.succeeded);
      return res.error === undefined ? undefined : { reason: 'FailedCreate', message: errorMessage(res.error) };
    }
    if (diff > 0) {
      const n = Math.min(diff, burstReplicas);
      const doomed = podsToDelete(pods, this.relatedPods(rs), n, Date.now());
      this.expectations.expectDeletions(key, doomed.map(objectKey));
      const results = await Promise.allSettled(doomed.map(async (p) => {
        try {
          await client.delete(resources.pods, ns, p.metadata?.name ?? '');
          recorder.event(referenceTo(rs), 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, objectKey(p));
          if (isNotFound(err)) return;
          recorder.event(referenceTo(rs), 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
          throw err;
        }
      }));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      return failed ? { reason: 'FailedDelete', message: errorMessage(failed.reason) } : undefined;
    }
    return undefined;
  }

  /** Active pods of this ReplicaSet and of its siblings under the same controller (e.g. one Deployment's). */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRefOf(rs);
    const siblings = owner ? this.rsInformer.byIndex(byControllerUid, owner.uid) : [rs];
    return siblings.flatMap((s) => this.podInformer.byIndex(byControllerUid, s.metadata?.uid ?? '')).filter(isPodActive);
  }
}

function safeSelector(rs: ReplicaSet): LabelSelector | null {
  try { return fromLabelSelector(rs.spec?.selector); } catch { return null; }
}

export const replicaSetController: ControllerFactory = (ctx) => new ReplicaSetController(ctx);
