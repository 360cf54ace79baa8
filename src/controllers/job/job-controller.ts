// The Job controller (upstream's pkg/controller/job): runs a Job's pods to completion. It keeps up to
// parallelism pods (never more than the completions still missing), counts finished pods exactly once
// through the batch.kubernetes.io/job-tracking finalizer and status.uncountedTerminatedPods, backs off
// after failures, fails the Job on backoffLimit, activeDeadlineSeconds or a FailJob podFailurePolicy
// rule (interim FailureTarget, then Failed once no pod is left running), completes it through
// SuccessCriteriaMet then Complete, suspends and resumes it, and handles Indexed completion. Expectations
// keep a lagging cache from creating or deleting twice; orphans matching the selector are adopted.
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { isNotFound } from '../../client/api-error';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import { objectKey } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { runWorkers, WorkQueue, type ReconcileResult } from '../../client/work-queue';
import { fromLabelSelector, type LabelSelector } from '../../registry/label-selector';
import type { Controller, ControllerContext, ControllerFactory } from '../controller';
import { byControllerUid, claim, controllerRefOf, indexByControllerUid, newControllerRef, withControllerRef, withoutOwner } from '../controller-ref';
import { Expectations } from '../expectations';
import { isPodActive, isPodReady } from '../pod-readiness';
import { errorMessage } from '../replicaset/replicaset-controller';
import { slowStartBatch } from '../slow-start';
import { firstPendingIndexes, formatIndexes, hasIndex, parseIndexes, totalIndexes, withIndexes, type Interval } from './completion-indexes';
import { activePodsForRemoval, pastBackoffLimitOnFailure, wantActivePods } from './job-arithmetic';
import {
  apiTime, backoffLimitExceeded, completionsReachedMessage, completionsReachedReason, deadlineExceeded, ensureCondition,
  findCondition, isJobFinished, newCondition, podFailurePolicyReason,
} from './job-conditions';
import {
  completionIndexOf, hasTrackingFinalizer, isIndexedJob, isPodFailed, isPodTerminating, jobTrackingFinalizer, onlyReplaceFailedPods, podForJob,
} from './job-pods';
import { backoffRemainingMs, nextBackoffRecord, type BackoffRecord } from './pod-failure-backoff';
import { matchPodFailurePolicy } from './pod-failure-policy';

/** Pod events reach a Job's sync at most once a second (upstream's syncJobBatchPeriod). */
const syncBatchMs = 1000;
/** At most this many pod creates or deletes per sync, and uncounted pods per status write. */
const maxPerSync = 500;

const removeFinalizerPatch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [jobTrackingFinalizer] } };

function trueCondition(job: Job, type: string): JobCondition | undefined {
  const c = findCondition(job, type);
  return c?.status === 'True' ? c : undefined;
}

/** Drops the zero counters and empty lists the API leaves out (omitempty). */
function compactStatus(s: JobStatus): JobStatus {
  const out: JobStatus = { ...s };
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!out[k]) delete out[k];
  const u = out.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = {
    ...(u.succeeded?.length ? { succeeded: u.succeeded } : {}),
    ...(u.failed?.length ? { failed: u.failed } : {}),
  };
  if (!out.completedIndexes) delete out.completedIndexes;
  return out;
}

/**
 * Moves pods whose finalizer is gone from uncountedTerminatedPods into the succeeded/failed counters.
 * Returns whether anything moved.
 */
function countUncountedWithoutFinalizers(status: JobStatus, withFinalizer: Set<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepS = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepS.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - keepS.length;
    u.succeeded = keepS;
    changed = true;
  }
  const keepF = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepF.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - keepF.length;
    u.failed = keepF;
    changed = true;
  }
  return changed;
}

interface SyncState {
  key: string;
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  succeeded: number;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  terminating: number;
  ready: number;
  finished?: JobCondition;
  backoff: BackoffRecord;
  expectedRemovals: Set<string>;
  now: number;
}

class JobController implements Controller {
  readonly name = 'job';
  private readonly queue = new WorkQueue('job', 1000, 60_000);
  private readonly orphanQueue = new WorkQueue('job_orphan_pod', 1000, 60_000);
  private readonly expectations = new Expectations();
  /** Per Job key, the pod uids whose finalizer removal was asked for and not yet seen. */
  private readonly finalizerRemovals = new Map<string, Set<string>>();
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly jobInformer: Informer<Job>;
  private readonly podInformer: Informer<Pod>;
  private readonly podOwner = new Map<string, string>();
  private readonly generations = new Map<string, number>();
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = new EventRecorder(ctx.client, 'job-controller');
    this.jobInformer = ctx.informers.for<Job>(resources.jobs);
    this.podInformer = ctx.informers.for<Pod>(resources.pods);
    this.podInformer.addIndex(byControllerUid, indexByControllerUid);
    this.jobInformer.on('add', (j) => { this.generations.set(objectKey(j), j.metadata?.generation ?? 0); this.queue.add(objectKey(j)); });
    this.jobInformer.on('update', (j) => this.jobUpdated(j));
    this.jobInformer.on('delete', (j) => this.jobDeleted(j));
    this.podInformer.on('add', (p) => this.podAdded(p));
    this.podInformer.on('update', (p) => this.podUpdated(p));
    this.podInformer.on('delete', (p) => this.podDeleted(p));
  }

  run(workers: number): void {
    void runWorkers(this.queue, workers, (key) => this.sync(key),
      (key, err) => this.ctx.log('job sync failed', { key, err: errorMessage(err) }));
    void runWorkers(this.orphanQueue, 1, (key) => this.syncOrphanPod(key),
      (key, err) => this.ctx.log('job orphan pod sync failed', { key, err: errorMessage(err) }));
  }

  // ---- event handlers ----

  private jobUpdated(job: Job): void {
    const key = objectKey(job);
    const gen = job.metadata?.generation ?? 0;
    // A spec change is acted on at once; status-only updates (mostly our own) are batched.
    if (this.generations.get(key) !== gen) this.queue.add(key);
    else this.queue.addAfter(key, syncBatchMs);
    this.generations.set(key, gen);
    if (isJobFinished(job)) this.enqueueOrphansOf(job);
  }

  private jobDeleted(job: Job): void {
    const key = objectKey(job);
    this.generations.delete(key);
    this.queue.add(key);
    this.enqueueOrphansOf(job);
  }

  /** Pods of a finished or deleted Job that still carry the finalizer, for the orphan worker to release. */
  private enqueueOrphansOf(job: Job): void {
    for (const p of this.podInformer.byIndex(byControllerUid, job.metadata?.uid ?? '')) {
      if (hasTrackingFinalizer(p)) this.orphanQueue.add(objectKey(p));
    }
  }

  private resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): Job | undefined {
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobInformer.get(namespace, ref.name);
    return job?.metadata?.uid === ref.uid ? job : undefined;
  }

  private enqueueBatched(job: Job): void { this.queue.addAfter(objectKey(job), syncBatchMs); }

  private enqueueSelecting(pod: Pod): void {
    for (const job of this.jobInformer.list(pod.metadata?.namespace)) {
      const sel = safeSelector(job);
      if (sel && !sel.empty() && sel.matches(pod.metadata?.labels)) this.enqueueBatched(job);
    }
  }

  private finalizerRemovalObserved(jobKey: string, uid: string | undefined): void {
    if (uid) this.finalizerRemovals.get(jobKey)?.delete(uid);
  }

  private podAdded(pod: Pod): void {
    const ref = controllerRefOf(pod);
    if (ref) this.podOwner.set(objectKey(pod), ref.uid);
    if (pod.metadata?.deletionTimestamp) { this.podGoing(pod, false); return; }
    const job = this.resolve(pod.metadata?.namespace, ref);
    if (job) {
      this.expectations.creationObserved(objectKey(job));
      this.enqueueBatched(job);
      return;
    }
    if (ref) return;
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
    this.enqueueSelecting(pod);
  }

  private podUpdated(pod: Pod): void {
    const key = objectKey(pod);
    const ref = controllerRefOf(pod);
    const before = this.podOwner.get(key);
    if (ref) this.podOwner.set(key, ref.uid); else this.podOwner.delete(key);
    if (before && before !== ref?.uid) {
      const old = this.jobInformer.list(pod.metadata?.namespace).find((j) => j.metadata?.uid === before);
      if (old) {
        if (!hasTrackingFinalizer(pod)) this.finalizerRemovalObserved(objectKey(old), pod.metadata?.uid);
        this.enqueueBatched(old);
      }
    }
    if (pod.metadata?.deletionTimestamp) { this.podGoing(pod, false); return; }
    const job = this.resolve(pod.metadata?.namespace, ref);
    if (job) {
      if (!hasTrackingFinalizer(pod)) this.finalizerRemovalObserved(objectKey(job), pod.metadata?.uid);
      this.enqueueBatched(job);
      if (isJobFinished(job) && hasTrackingFinalizer(pod)) this.orphanQueue.add(key);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(key);
    if (!ref) this.enqueueSelecting(pod);
  }

  private podDeleted(pod: Pod): void {
    this.podOwner.delete(objectKey(pod));
    this.podGoing(pod, true);
  }

  /** A pod being deleted (final: gone from the API): counts as an observed deletion for its Job. */
  private podGoing(pod: Pod, final: boolean): void {
    const job = this.resolve(pod.metadata?.namespace, controllerRefOf(pod));
    if (!job || isJobFinished(job)) {
      if (!final && hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
      return;
    }
    const key = objectKey(job);
    this.expectations.deletionObserved(key, objectKey(pod));
    if (final || !hasTrackingFinalizer(pod)) this.finalizerRemovalObserved(key, pod.metadata?.uid);
    this.enqueueBatched(job);
  }

  // ---- orphan pods ----

  /** Removes the tracking finalizer from a pod no unfinished Job controls any more. */
  private async syncOrphanPod(key: string): Promise<void> {
    const pod = this.podInformer.getByKey(key);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRefOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolve(pod.metadata?.namespace, ref);
      if (job && !isJobFinished(job)) return;
    }
    await this.removeFinalizer(pod);
  }

  private async removeFinalizer(pod: Pod): Promise<void> {
    try {
      await this.ctx.client.patch(resources.pods, pod.metadata?.namespace, pod.metadata?.name ?? '', removeFinalizerPatch, 'strategic');
    } catch (err) { if (!isNotFound(err)) throw err; }
  }

  // ---- sync ----

  private forget(key: string): void {
    this.expectations.forget(key);
    this.finalizerRemovals.delete(key);
    this.backoff.delete(key);
  }

  /** The Job's pods: those it controls and still selects, plus orphans it adopts (with the finalizer). */
  private async podsForJob(job: Job): Promise<Pod[]> {
    const selector = fromLabelSelector(job.spec?.selector);
    // A Job without a selector selects nothing (the server always sets one).
    if (!selector) return [];
    const uid = job.metadata?.uid ?? '';
    const claims = claim(uid, selector, this.podInformer.list(job.metadata?.namespace), !!job.metadata?.deletionTimestamp);
    const pods = [...claims.owned];
    const ref = newControllerRef(job, 'batch/v1', 'Job');
    for (const p of claims.adopt) {
      const adopted = withControllerRef(p, ref);
      const fins = adopted.metadata?.finalizers ?? [];
      if (!fins.includes(jobTrackingFinalizer)) adopted.metadata = { ...adopted.metadata, finalizers: [...fins, jobTrackingFinalizer] };
      try { pods.push(await this.ctx.client.update(resources.pods, adopted)); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    for (const p of claims.release) {
      try { await this.ctx.client.update(resources.pods, withoutOwner(p, uid)); } catch (err) { if (!isNotFound(err)) throw err; }
    }
    return pods;
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.jobInformer.getByKey(key);
    if (!cached) { this.forget(key); return; }
    if (isJobFinished(cached)) { this.backoff.delete(key); return; }
    const mode = cached.spec?.completionMode;
    if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder.event(cached, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const job: Job = structuredClone({ apiVersion: 'batch/v1', kind: 'Job', ...cached });
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    const now = Date.now();
    // Expectations are read before the pods, so a pod arriving in between only delays the next step.
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const activePods = pods.filter(isPodActive);
    const expectedRemovals = new Set(this.finalizerRemovals.get(key) ?? []);
    const uncountedS = new Set(status.uncountedTerminatedPods.succeeded ?? []);
    const uncountedF = new Set(status.uncountedTerminatedPods.failed ?? []);
    const completions = job.spec?.completions ?? undefined;
    const indexed = isIndexedJob(job);
    // Finished pods not yet in the status: with the finalizer, not in the uncounted lists, valid index.
    const fresh = (uncounted: Set<string>, test: (p: Pod) => boolean) => pods.filter((p) => {
      const uid = p.metadata?.uid ?? '';
      if (!hasTrackingFinalizer(p) || uncounted.has(uid) || expectedRemovals.has(uid)) return false;
      if (indexed) { const ix = completionIndexOf(p); if (ix < 0 || ix >= (completions ?? 0)) return false; }
      return test(p);
    });
    const newSucceeded = fresh(uncountedS, (p) => p.status?.phase === 'Succeeded');
    const newFailed = fresh(uncountedF, (p) => isPodFailed(p, job));
    const policy = job.spec?.podFailurePolicy;
    let succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncountedS.size;
    const failed = (status.failed ?? 0) + newFailed.filter((p) => matchPodFailurePolicy(policy, p).countFailed).length + uncountedF.size;
    const suspended = job.spec?.suspend === true;
    if (!status.startTime && !suspended) status.startTime = apiTime(now);
    const backoff = nextBackoffRecord(this.backoff.get(key) ?? { failuresAfterLastSuccess: 0 }, newSucceeded, newFailed);
    let requeueAfterMs: number | undefined;

    let finished = trueCondition(job, 'SuccessCriteriaMet');
    if (!finished) {
      const target = trueCondition(job, 'FailureTarget');
      if (target) finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const message = pods.filter((p) => isPodFailed(p, job)).map((p) => matchPodFailurePolicy(policy, p).failJobMessage).find((m) => m);
        if (message) finished = newCondition('FailureTarget', 'True', podFailurePolicyReason, message, now);
      }
    }
    const deadline = job.spec?.activeDeadlineSeconds;
    if (!finished) {
      const sinceStart = status.startTime ? now - Date.parse(status.startTime) : 0;
      if (failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
        finished = newCondition('FailureTarget', 'True', backoffLimitExceeded.reason, backoffLimitExceeded.message, now);
      } else if (deadline !== undefined && status.startTime && !suspended && sinceStart >= deadline * 1000) {
        finished = newCondition('FailureTarget', 'True', deadlineExceeded.reason, deadlineExceeded.message, now);
      } else if (deadline !== undefined && !suspended) {
        requeueAfterMs = deadline * 1000 - sinceStart;
      }
    }
    let prevSucceededIndexes: Interval[] = [];
    let succeededIndexes: Interval[] = [];
    if (indexed) {
      prevSucceededIndexes = parseIndexes(status.completedIndexes, completions ?? 0);
      succeededIndexes = withIndexes(prevSucceededIndexes, pods.filter((p) => {
        const ix = completionIndexOf(p);
        return p.status?.phase === 'Succeeded' && ix >= 0 && ix < (completions ?? 0) && hasTrackingFinalizer(p);
      }).map(completionIndexOf));
      succeeded = totalIndexes(succeededIndexes);
    }

    const st: SyncState = {
      key, job, pods, activePods, succeeded, prevSucceededIndexes, succeededIndexes, backoff, expectedRemovals, now,
      terminating: pods.filter(isPodTerminating).length,
      ready: activePods.filter(isPodReady).length,
    };
    let active = activePods.length;
    let manageError: unknown;
    let suspendChanged = false;
    if (finished) {
      const r = await this.deletePods(job, activePods, false);
      // Not finished until every active pod is being deleted and the cache has caught up.
      if (r.deleted !== active || !satisfied) finished = undefined;
      active -= r.deleted;
      st.terminating += r.deleted;
      st.ready -= r.deletedReady;
      manageError = r.error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        const r = await this.manageJob(st);
        active = r.active;
        manageError = r.error;
        if (r.requeueAfterMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, r.requeueAfterMs);
        managed = true;
      }
      const complete = completions === undefined ? succeeded > 0 && active === 0 : succeeded >= completions && active === 0;
      if (complete) {
        finished = newCondition('SuccessCriteriaMet', 'True', completionsReachedReason, completionsReachedMessage, now);
      } else if (managed) {
        const conds = (status.conditions ??= []);
        if (suspended) {
          if (ensureCondition(conds, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            this.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(conds, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          this.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts the time a Job is continuously active: it starts again on resume.
          status.startTime = apiTime(now);
        }
        if (!status.conditions.length) delete status.conditions;
      }
    }
    st.finished = finished;
    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || st.ready !== status.ready || st.terminating !== status.terminating;
    status.active = active;
    status.ready = st.ready;
    status.terminating = st.terminating;
    await this.trackStatusAndRemoveFinalizers(st, needsUpdate);
    if (manageError) throw manageError instanceof Error ? manageError : new Error(errorMessage(manageError));
    if (requeueAfterMs !== undefined) return { requeueAfterMs: Math.max(requeueAfterMs, 0) };
  }

  /** Creates or deletes pods toward the wanted number of active ones (or none, while suspended). */
  private async manageJob(st: SyncState): Promise<{ active: number; error?: unknown; requeueAfterMs?: number }> {
    const { job, key, activePods, now } = st;
    let active = activePods.length;
    const rmAtLeast = job.spec?.suspend === true ? active : Math.max(0, active - wantActivePods(job, st.succeeded, active));
    const doomed = activePodsForRemoval(job, activePods, rmAtLeast, now).slice(0, maxPerSync);
    if (doomed.length > 0) {
      // Deletion and creation never happen in one sync; deletion goes first.
      this.expectations.expectDeletions(key, doomed.map(objectKey));
      const r = await this.deletePods(job, doomed, true);
      st.terminating += r.deleted;
      st.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }
    if (job.spec?.suspend === true) return { active };
    const want = wantActivePods(job, st.succeeded, active);
    let diff = want - (onlyReplaceFailedPods(job) ? st.terminating : 0) - active;
    if (diff <= 0) return { active };
    const wait = backoffRemainingMs(st.backoff, now);
    if (wait > 0) return { active, requeueAfterMs: Math.max(wait, syncBatchMs) };
    diff = Math.min(diff, maxPerSync);
    let indexes: number[] | undefined;
    if (isIndexedJob(job)) {
      const taken = (onlyReplaceFailedPods(job) ? [...activePods, ...st.pods.filter(isPodTerminating)] : activePods).map(completionIndexOf).filter((i) => i >= 0);
      indexes = firstPendingIndexes(st.succeededIndexes, taken, diff, job.spec?.completions ?? 0);
      diff = indexes.length;
      if (diff === 0) return { active };
    }
    this.expectations.expectCreations(key, diff);
    const ref = newControllerRef(job, 'batch/v1', 'Job');
    const ns = job.metadata?.namespace;
    let next = 0;
    const res = await slowStartBatch(diff, 1, async () => {
      const pod = podForJob(job, ref, indexes?.[next++]);
      try {
        const created = await this.ctx.client.create(resources.pods, ns, pod);
        this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
      } catch (err) {
        this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
        throw err;
      }
    });
    this.expectations.creationsSkipped(key, diff - res.succeeded);
    return { active: active + res.succeeded, error: res.error };
  }

  /**
   * Deletes pods. Surplus pods (releaseFinalizer) first lose the tracking finalizer so they are never
   * counted; the pods of a failing Job keep it and are counted as failed once gone.
   */
  private async deletePods(job: Job, pods: Pod[], releaseFinalizer: boolean): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    const key = objectKey(job);
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(pods.map(async (p) => {
      try {
        if (releaseFinalizer && hasTrackingFinalizer(p)) await this.ctx.client.patch(resources.pods, p.metadata?.namespace, p.metadata?.name ?? '', removeFinalizerPatch, 'strategic');
        await this.ctx.client.delete(resources.pods, p.metadata?.namespace, p.metadata?.name ?? '');
        this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`);
        deleted++;
      } catch (err) {
        if (releaseFinalizer) this.expectations.deletionObserved(key, objectKey(p));
        if (isNotFound(err)) deleted++;
        else {
          this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
          error ??= err;
        }
      }
      if (isPodReady(p)) deletedReady++;
    }));
    return { deleted, deletedReady, error };
  }

  /**
   * Counts finished pods exactly once: their uids go to status.uncountedTerminatedPods (written), then
   * their finalizers come off, then they move into succeeded/failed (written), and the terminal
   * condition is set once nothing is uncounted and no pod is still terminating.
   */
  private async trackStatusAndRemoveFinalizers(st: SyncState, needsFlushIn: boolean): Promise<void> {
    let { job } = st;
    let needsFlush = needsFlushIn;
    const indexed = isIndexedJob(job);
    const completions = job.spec?.completions ?? 0;
    const policy = job.spec?.podFailurePolicy;
    const pods = indexed ? [...st.pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : st.pods;
    const withFinalizer = new Set(pods.filter((p) => hasTrackingFinalizer(p) && !st.expectedRemovals.has(p.metadata?.uid ?? '')).map((p) => p.metadata?.uid ?? ''));
    const status = job.status!;
    if (countUncountedWithoutFinalizers(status, withFinalizer)) needsFlush = true;
    const uncounted = status.uncountedTerminatedPods!;
    uncounted.succeeded ??= [];
    uncounted.failed ??= [];
    const initiallyFailed = new Set(uncounted.failed);
    const toRelease: Pod[] = [];
    const newIndexes: number[] = [];
    let reachedMax = false;
    for (const p of pods) {
      const uid = p.metadata?.uid ?? '';
      if (!hasTrackingFinalizer(p) || st.expectedRemovals.has(uid)) continue;
      const failedPod = isPodFailed(p, job);
      if (!job.metadata?.deletionTimestamp && !st.finished && p.status?.phase !== 'Succeeded' && !failedPod) continue;
      toRelease.push(p);
      if (p.status?.phase === 'Succeeded' && !initiallyFailed.has(uid)) {
        if (indexed) {
          const ix = completionIndexOf(p);
          if (ix >= 0 && ix < completions && !hasIndex(st.prevSucceededIndexes, ix)) { newIndexes.push(ix); needsFlush = true; }
        } else if (!uncounted.succeeded.includes(uid)) {
          uncounted.succeeded.push(uid);
          needsFlush = true;
        }
      } else if (failedPod || (st.finished && st.finished.type !== 'SuccessCriteriaMet')) {
        // Once the Job is finishing, every pod not yet terminated counts as failed.
        const ix = completionIndexOf(p);
        if (!uncounted.failed.includes(uid) && (!indexed || (ix >= 0 && ix < completions)) && matchPodFailurePolicy(policy, p).countFailed) {
          uncounted.failed.push(uid);
          needsFlush = true;
        }
      }
      if (newIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= maxPerSync) { reachedMax = true; break; }
    }
    if (indexed) {
      const all = withIndexes(st.succeededIndexes, newIndexes);
      const s = formatIndexes(all);
      if (s !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = totalIndexes(all);
      status.completedIndexes = s;
    }
    let finished = st.finished;
    if (finished?.type === 'FailureTarget') {
      // The failure is recorded before any finalizer comes off, so it survives a crash in between.
      (status.conditions ??= []).push(finished);
      needsFlush = true;
      finished = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', st.now);
    }
    if (finished?.type === 'SuccessCriteriaMet') {
      if (!trueCondition(job, 'SuccessCriteriaMet')) { (status.conditions ??= []).push(finished); needsFlush = true; }
      finished = newCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', st.now);
    }

    if (needsFlush) {
      job = await this.writeStatus(job);
      this.backoff.set(st.key, st.backoff);
      needsFlush = false;
    }
    let releaseError: unknown;
    if (toRelease.length > 0) {
      const expected = this.finalizerRemovals.get(st.key) ?? new Set<string>();
      this.finalizerRemovals.set(st.key, expected);
      for (const p of toRelease) expected.add(p.metadata?.uid ?? '');
      await Promise.all(toRelease.map(async (p) => {
        const uid = p.metadata?.uid ?? '';
        try {
          await this.ctx.client.patch(resources.pods, p.metadata?.namespace, p.metadata?.name ?? '', removeFinalizerPatch, 'strategic');
          withFinalizer.delete(uid);
        } catch (err) {
          expected.delete(uid);
          if (isNotFound(err)) withFinalizer.delete(uid);
          else releaseError ??= err;
        }
      }));
    }
    if (countUncountedWithoutFinalizers(job.status!, withFinalizer)) needsFlush = true;
    if (releaseError) {
      if (needsFlush) await this.writeStatus(job);
      throw releaseError;
    }
    const done = !reachedMax && finished !== undefined && this.enactFinished(job, finished, st.terminating);
    if (done) needsFlush = true;
    if (needsFlush) {
      const written = await this.writeStatus(job);
      if (done && finished) this.recordFinished(written, finished);
    }
  }

  /** Sets Complete or Failed once nothing is uncounted and no pod is terminating. */
  private enactFinished(job: Job, finished: JobCondition, terminating: number): boolean {
    const u = job.status?.uncountedTerminatedPods;
    if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
    if (terminating > 0) return false;
    const status = job.status!;
    const conds = (status.conditions ??= []);
    const at = Date.now();
    ensureCondition(conds, finished.type, finished.status, finished.reason ?? '', finished.message ?? '', at);
    if (finished.type === 'Complete') status.completionTime = findCondition(job, 'Complete')?.lastTransitionTime ?? apiTime(at);
    return true;
  }

  private recordFinished(job: Job, finished: JobCondition): void {
    if (finished.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) {
        this.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.recorder.event(job, 'Warning', finished.reason ?? '', finished.message ?? '');
    }
  }

  private async writeStatus(job: Job): Promise<Job> {
    const out = await this.ctx.client.updateStatus<Job>(resources.jobs, { ...job, status: compactStatus(job.status ?? {}) });
    out.status ??= {};
    out.status.uncountedTerminatedPods ??= {};
    return out;
  }
}

function safeSelector(job: Job): LabelSelector | null {
  try { return fromLabelSelector(job.spec?.selector); } catch { return null; }
}

export const jobController: ControllerFactory = (ctx) => new JobController(ctx);
