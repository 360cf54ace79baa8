// The DaemonSet controller: owns one pod per eligible node (adopting matching orphans), each pinned to its
// node by required node affinity and bound by the default scheduler; keeps a ControllerRevision per
// template (<ds>-<hash>, the hash also on the pods as controller-revision-hash), trims history to
// revisionHistoryLimit, takes the step daemon-plan decides (never while its own creates and deletes are
// unobserved), and writes status through the status subresource.
import type { ControllerRevision, DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { Node, ObjectReference, Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isConflict, isNotFound } from '../../client/api-error';
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
import { podTemplateHash } from '../deployment/pod-template-hash';
import { Expectations } from '../expectations';
import { createRevision, newRevision, sortRevisions, templatePatch, type RevisionOwner } from '../history/controller-history';
import { errorMessage } from '../replicaset/replicaset-controller';
import { slowStartBatch } from '../slow-start';
import { daemonRevisionLabel, newDaemonPod } from './daemon-pod';
import { daemonSetStatus, planManage, planRollingUpdate, type DaemonInput, type DaemonPlan } from './daemon-plan';

function referenceTo(ds: DaemonSet): ObjectReference {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: ds.metadata?.namespace, name: ds.metadata?.name, uid: ds.metadata?.uid, resourceVersion: ds.metadata?.resourceVersion };
}

function safeSelector(ds: DaemonSet): LabelSelector | null {
  try { return fromLabelSelector(ds.spec?.selector); } catch { return null; }
}

class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  private readonly queue = new WorkQueue('daemonset');
  private readonly expectations = new Expectations();
  private readonly dsInformer: Informer<DaemonSet>;
  private readonly podInformer: Informer<Pod>;
  private readonly nodeInformer: Informer<Node>;
  private readonly revInformer: Informer<ControllerRevision>;

  constructor(private readonly ctx: ControllerContext) {
    this.dsInformer = ctx.informers.for<DaemonSet>(resources.daemonsets);
    this.podInformer = ctx.informers.for<Pod>(resources.pods);
    this.podInformer.addIndex(byControllerUid, indexByControllerUid);
    this.nodeInformer = ctx.informers.for<Node>(resources.nodes);
    this.revInformer = ctx.informers.for<ControllerRevision>(resources.controllerrevisions);
    this.revInformer.addIndex(byControllerUid, indexByControllerUid);
    for (const ev of ['add', 'update', 'delete'] as const) {
      this.dsInformer.on(ev, (d) => this.queue.add(objectKey(d)));
      // A node that comes, goes or changes labels, taints or readiness may change where pods belong.
      this.nodeInformer.on(ev, () => { for (const d of this.dsInformer.list()) this.queue.add(objectKey(d)); });
    }
    this.dsInformer.on('delete', (d) => this.expectations.forget(objectKey(d)));
    this.podInformer.on('add', (p) => this.podEvent(p, 'add'));
    this.podInformer.on('update', (p) => this.podEvent(p, p.metadata?.deletionTimestamp ? 'delete' : 'update'));
    this.podInformer.on('delete', (p) => this.podEvent(p, 'delete'));
  }

  run(workers: number): void {
    void runWorkers(this.queue, workers, (key) => this.sync(key),
      (key, err) => this.ctx.log('daemonset sync failed', { key, err: errorMessage(err) }));
  }

  private podEvent(pod: Pod, kind: 'add' | 'update' | 'delete'): void {
    const ref = controllerRefOf(pod);
    if (!ref) {
      if (pod.metadata?.deletionTimestamp) return;
      for (const ds of this.dsInformer.list(pod.metadata?.namespace)) {
        const sel = safeSelector(ds);
        if (sel && !sel.empty() && sel.matches(pod.metadata?.labels)) this.queue.add(objectKey(ds));
      }
      return;
    }
    if (ref.kind !== 'DaemonSet') return;
    const ds = this.dsInformer.get(pod.metadata?.namespace, ref.name);
    if (ds?.metadata?.uid !== ref.uid) return;
    const key = objectKey(ds);
    if (kind === 'add' && !pod.metadata?.deletionTimestamp) this.expectations.creationObserved(key);
    if (kind === 'delete') this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.dsInformer.getByKey(key);
    if (!cached) { this.expectations.forget(key); return; }
    const ds = structuredClone(cached);
    const selector = safeSelector(ds);
    if (!selector || selector.empty()) return;
    const ref = newControllerRef(ds, 'apps/v1', 'DaemonSet');
    const pods = await this.claimPods(ds, selector, ref);
    const { hash, collisionCount, revisions } = await this.constructHistory(ds, ref);
    const input: DaemonInput = { ds, nodes: this.nodeInformer.list(), pods, hash, now: Date.now() };
    if (!ds.metadata?.deletionTimestamp && this.expectations.satisfied(key)) {
      let plan = planManage(input);
      if (plan.createOn.length === 0 && plan.delete.length === 0) plan = planRollingUpdate(input);
      await this.syncNodes(key, ds, ref, hash, plan);
    }
    await this.cleanupHistory(ds, pods, hash, revisions);
    const status = daemonSetStatus(input, collisionCount);
    await this.writeStatus(ds, status);
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady > (status.numberAvailable ?? 0)) return { requeueAfterMs: minReady * 1000 };
  }

  private async claimPods(ds: DaemonSet, selector: LabelSelector, ref: OwnerReference): Promise<Pod[]> {
    const uid = ds.metadata?.uid ?? '';
    const claims = claim(uid, selector, this.podInformer.list(ds.metadata?.namespace), !!ds.metadata?.deletionTimestamp);
    const pods = [...claims.owned];
    for (const p of claims.adopt) {
      try { pods.push(await this.ctx.client.update(resources.pods, withControllerRef(p, ref))); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    for (const p of claims.release) {
      try { await this.ctx.client.update(resources.pods, withoutOwner(p, uid)); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    return pods;
  }

  /** The current revision for the template (created, or an equal old one renumbered as the newest) and the others (constructHistory). */
  private async constructHistory(ds: DaemonSet, ref: OwnerReference): Promise<{ hash: string; collisionCount: number; revisions: ControllerRevision[] }> {
    const { client } = this.ctx;
    let collisionCount = ds.status?.collisionCount ?? 0;
    const owned = sortRevisions(this.revInformer.byIndex(byControllerUid, ref.uid).filter((r) => !r.metadata?.deletionTimestamp));
    const data = templatePatch(ds.spec?.template);
    const hash = podTemplateHash(ds.spec?.template, collisionCount);
    const isCurrent = (r: ControllerRevision): boolean => r.metadata?.labels?.[daemonRevisionLabel] === hash || deepEqual(r.data, data);
    const old = owned.filter((r) => !isCurrent(r));
    const nextNumber = old.reduce((m, r) => Math.max(m, r.revision), 0) + 1;
    const current = owned.filter(isCurrent);
    if (current.length === 0) {
      const owner: RevisionOwner = {
        ref, namespace: ds.metadata?.namespace, name: ds.metadata?.name ?? '',
        templateLabels: ds.spec?.template?.metadata?.labels, annotations: ds.metadata?.annotations,
      };
      const res = await createRevision(client, owner, newRevision(owner, data, nextNumber), collisionCount,
        { hash: (c) => podTemplateHash(ds.spec?.template, c), label: daemonRevisionLabel });
      collisionCount = res.collisionCount;
      return { hash: res.revision.metadata?.labels?.[daemonRevisionLabel] ?? hash, collisionCount, revisions: owned };
    }
    // Duplicates of the current revision (a race of two syncs) go; the newest-numbered stays.
    const keep = current[current.length - 1];
    for (const dup of current.slice(0, -1)) {
      try { await client.delete(resources.controllerrevisions, dup.metadata?.namespace, dup.metadata?.name ?? ''); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    if (keep.revision < nextNumber) await client.update(resources.controllerrevisions, { ...keep, revision: nextNumber });
    return { hash: keep.metadata?.labels?.[daemonRevisionLabel] ?? hash, collisionCount, revisions: old };
  }

  /** Creates pods on the nodes and deletes the pods of the plan, expecting to observe each. */
  private async syncNodes(key: string, ds: DaemonSet, ref: OwnerReference, hash: string, plan: DaemonPlan): Promise<void> {
    const { client, recorder } = this.ctx;
    const ns = ds.metadata?.namespace;
    if (plan.delete.length) {
      this.expectations.expectDeletions(key, plan.delete.map(objectKey));
      for (const p of plan.delete) {
        try {
          await client.delete(resources.pods, ns, p.metadata?.name ?? '', { preconditions: { uid: p.metadata?.uid } });
          recorder.event(referenceTo(ds), 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, objectKey(p));
          if (isNotFound(err) || isConflict(err)) continue;
          recorder.event(referenceTo(ds), 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
          throw err;
        }
      }
    }
    if (plan.createOn.length) {
      const nodes = [...plan.createOn];
      this.expectations.expectCreations(key, nodes.length);
      const res = await slowStartBatch(nodes.length, 1, async () => {
        const node = nodes.shift()!;
        try {
          const created = await client.create(resources.pods, ns, newDaemonPod(ds, hash, node, ref));
          recorder.event(referenceTo(ds), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
        } catch (err) {
          recorder.event(referenceTo(ds), 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
          throw err;
        }
      });
      this.expectations.creationsSkipped(key, plan.createOn.length - res.succeeded);
      if (res.error !== undefined) throw res.error;
    }
  }

  /** Deletes the oldest old revisions beyond revisionHistoryLimit that no live pod uses. */
  private async cleanupHistory(ds: DaemonSet, pods: Pod[], hash: string, old: ControllerRevision[]): Promise<void> {
    const live = new Set([hash, ...pods.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.labels?.[daemonRevisionLabel] ?? '')]);
    const unused = old.filter((r) => !live.has(r.metadata?.labels?.[daemonRevisionLabel] ?? ''));
    const excess = unused.length - (ds.spec?.revisionHistoryLimit ?? 10);
    for (const r of unused.slice(0, Math.max(0, excess))) {
      try { await this.ctx.client.delete(resources.controllerrevisions, r.metadata?.namespace, r.metadata?.name ?? ''); } catch (err) { if (!isNotFound(err)) throw err; }
    }
  }

  private async writeStatus(ds: DaemonSet, status: DaemonSetStatus): Promise<void> {
    const cur = ds.status;
    const next: DaemonSetStatus = { ...status, ...(cur?.conditions ? { conditions: cur.conditions } : {}) };
    if (deepEqual(cur, next)) return;
    try {
      await this.ctx.client.updateStatus(resources.daemonsets, { ...ds, status: next });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      const fresh = await this.ctx.client.get<DaemonSet>(resources.daemonsets, ds.metadata?.namespace, ds.metadata?.name ?? '');
      await this.ctx.client.updateStatus(resources.daemonsets, { ...fresh, status: next });
    }
  }
}

export const daemonSetController: ControllerFactory = (ctx) => new DaemonSetController(ctx);
