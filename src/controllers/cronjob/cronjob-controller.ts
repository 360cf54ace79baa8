// The CronJob controller (upstream's cronjob_controllerv2): creates a Job `<cronjob>-<minutes>` for each
// scheduled time (in spec.timeZone), honouring suspend, startingDeadlineSeconds and concurrencyPolicy
// (Allow, Forbid, Replace); keeps status.active, lastScheduleTime and lastSuccessfulTime; deletes
// finished Jobs beyond the history limits; and wakes up again at the next scheduled time.
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import { isAlreadyExists, isNotFound } from '../../client/api-error';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import { objectKey } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { runWorkers, WorkQueue, type ReconcileResult } from '../../client/work-queue';
import { knownTimeZone } from '../../registry/validation/cron-schedule';
import type { Controller, ControllerContext, ControllerFactory } from '../controller';
import { byControllerUid, controllerRefOf, indexByControllerUid, newControllerRef } from '../controller-ref';
import { apiTime, isJobFinished } from '../job/job-conditions';
import { errorMessage } from '../replicaset/replicaset-controller';
import { jobNameFor, maxMissedSchedules, rfc3339InZone, Schedule, scheduleDecision } from './schedule-times';

export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** A CronJob is looked at again this long after its next scheduled time (upstream's nextScheduleDelta). */
const nextScheduleDeltaMs = 100;

function finishedType(job: Job): string | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
}

function jobRef(job: Job): ObjectReference {
  return {
    kind: 'Job', namespace: job.metadata?.namespace, name: job.metadata?.name, uid: job.metadata?.uid,
    apiVersion: 'batch/v1', resourceVersion: job.metadata?.resourceVersion,
  };
}

/** The Job for one scheduled run: the template's labels, annotations and spec, owned by the CronJob. */
export function jobForRun(cj: CronJob, scheduledTime: number): Job {
  const tmd = cj.spec?.jobTemplate.metadata;
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name: jobNameFor(cj.metadata?.name ?? '', scheduledTime),
      namespace: cj.metadata?.namespace,
      labels: { ...tmd?.labels },
      annotations: { ...tmd?.annotations, [scheduledTimestampAnnotation]: rfc3339InZone(scheduledTime, cj.spec?.timeZone) },
      ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: structuredClone(cj.spec?.jobTemplate.spec),
  };
}

/** Finished Jobs past the history limits, oldest start first (never the unfinished ones). */
export function jobsBeyondHistory(cj: CronJob, jobs: Job[]): Job[] {
  const byStart = (a: Job, b: Job) => {
    const sa = a.status?.startTime ? Date.parse(a.status.startTime) : Infinity;
    const sb = b.status?.startTime ? Date.parse(b.status.startTime) : Infinity;
    return sa !== sb ? sa - sb : (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  };
  const out: Job[] = [];
  const pick = (type: string, limit: number | undefined) => {
    if (limit === undefined || limit === null) return;
    const done = jobs.filter((j) => finishedType(j) === type).sort(byStart);
    out.push(...done.slice(0, Math.max(0, done.length - limit)));
  };
  pick('Complete', cj.spec?.successfulJobsHistoryLimit);
  pick('Failed', cj.spec?.failedJobsHistoryLimit);
  return out;
}

class CronJobController implements Controller {
  readonly name = 'cronjob';
  private readonly queue = new WorkQueue('cronjob', 5, 60_000);
  private readonly cjInformer: Informer<CronJob>;
  private readonly jobInformer: Informer<Job>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = new EventRecorder(ctx.client, 'cronjob-controller');
    this.cjInformer = ctx.informers.for<CronJob>(resources.cronjobs);
    this.jobInformer = ctx.informers.for<Job>(resources.jobs);
    this.jobInformer.addIndex(byControllerUid, indexByControllerUid);
    for (const ev of ['add', 'update', 'delete'] as const) {
      this.cjInformer.on(ev, (cj) => this.queue.add(objectKey(cj)));
      this.jobInformer.on(ev, (job) => this.jobChanged(job));
    }
  }

  run(workers: number): void {
    void runWorkers(this.queue, workers, (key) => this.sync(key),
      (key, err) => this.ctx.log('cronjob sync failed', { key, err: errorMessage(err) }));
  }

  private jobChanged(job: Job): void {
    const ref = controllerRefOf(job);
    if (ref?.kind !== 'CronJob') return;
    const cj = this.cjInformer.get(job.metadata?.namespace, ref.name);
    if (cj?.metadata?.uid === ref.uid) this.queue.add(objectKey(cj));
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.cjInformer.getByKey(key);
    if (!cached) return;
    const cj: CronJob = structuredClone({ apiVersion: 'batch/v1', kind: 'CronJob', ...cached });
    const status = (cj.status ??= {});
    const before = JSON.stringify(status);
    const jobs = this.jobInformer.byIndex(byControllerUid, cj.metadata?.uid ?? '');
    await this.reconcileJobs(cj, jobs);
    const result = cj.metadata?.deletionTimestamp ? undefined : await this.scheduleRun(cj);
    await this.cleanupFinishedJobs(cj, jobs);
    if (JSON.stringify(status) !== before) await this.writeStatus(cj);
    if (result?.requeueAt !== undefined) return { requeueAfterMs: Math.max(0, result.requeueAt - Date.now()) + nextScheduleDeltaMs };
  }

  /** Brings status.active and lastSuccessfulTime in line with the Jobs the CronJob owns. */
  private async reconcileJobs(cj: CronJob, jobs: Job[]): Promise<void> {
    const status = cj.status!;
    const isActive = (uid?: string) => (status.active ?? []).some((r) => r.uid === uid);
    const drop = (uid?: string) => {
      status.active = (status.active ?? []).filter((r) => r.uid !== uid);
      if (status.active.length === 0) delete status.active;
    };
    let fresh: CronJob | undefined;
    for (const j of jobs) {
      const type = finishedType(j);
      if (!type && !isActive(j.metadata?.uid)) {
        // Our cache may not have our own status write yet: the API's copy decides.
        fresh ??= await this.ctx.client.get<CronJob>(resources.cronjobs, cj.metadata?.namespace, cj.metadata?.name ?? '');
        const known = fresh.status?.active?.find((r) => r.uid === j.metadata?.uid);
        if (known) status.active = [...(status.active ?? []), known];
        else this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name}`);
      } else if (type && isActive(j.metadata?.uid)) {
        drop(j.metadata?.uid);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name}, condition: ${type}`);
      }
      const done = j.status?.completionTime;
      if (type === 'Complete' && done && (!status.lastSuccessfulTime || Date.parse(done) > Date.parse(status.lastSuccessfulTime))) {
        status.lastSuccessfulTime = done;
      }
    }
    const owned = new Set(jobs.map((j) => j.metadata?.uid));
    for (const ref of [...(status.active ?? [])]) {
      if (owned.has(ref.uid)) continue;
      // The cache may lag our own create: ask the API before declaring the Job gone.
      const live = await this.ctx.client.find<Job>(resources.jobs, ref.namespace, ref.name ?? '');
      if (live && live.metadata?.uid === ref.uid) continue;
      this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      drop(ref.uid);
    }
  }

  /** Starts the run that is due, if any; returns when to look again. */
  private async scheduleRun(cj: CronJob): Promise<{ requeueAt?: number } | undefined> {
    const tz = cj.spec?.timeZone;
    if (tz && !knownTimeZone(tz)) {
      this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
      return undefined;
    }
    let sched: Schedule;
    try { sched = Schedule.parse(cj.spec?.schedule ?? '', tz); } catch (err) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${errorMessage(err)}`);
      return undefined;
    }
    if (cj.spec?.suspend) return undefined;
    const now = Date.now();
    const d = scheduleDecision(cj, sched, now);
    if (d.kind === 'wait') return d;
    if (d.kind === 'tooLate') {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(d.scheduledTime).toUTCString().replace('GMT', '+0000')}`);
      return d;
    }
    if (d.missed > maxMissedSchedules) {
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    const status = cj.status!;
    const name = jobNameFor(cj.metadata?.name ?? '', d.scheduledTime);
    if ((status.active ?? []).some((r) => r.name === name)) return d;
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active ?? []).length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return d;
    }
    if (policy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        try {
          await this.ctx.client.delete(resources.jobs, ref.namespace, ref.name ?? '', { propagationPolicy: 'Background' });
        } catch (err) {
          if (!isNotFound(err)) {
            this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(err)}`);
            throw err;
          }
        }
        this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
        status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
      }
      if (status.active?.length === 0) delete status.active;
    }
    let job: Job;
    try {
      job = await this.ctx.client.create(resources.jobs, cj.metadata?.namespace, jobForRun(cj, d.scheduledTime));
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata?.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(err)}`);
        throw err;
      }
      // Created by an earlier sync whose status write was lost: take it as this run if it is ours.
      const existing = await this.ctx.client.find<Job>(resources.jobs, cj.metadata?.namespace, name);
      if (!existing || controllerRefOf(existing)?.uid !== cj.metadata?.uid) throw err;
      job = existing;
    }
    if (!finishedType(job) && !(status.active ?? []).some((r) => r.uid === job.metadata?.uid)) status.active = [...(status.active ?? []), jobRef(job)];
    status.lastScheduleTime = apiTime(d.scheduledTime);
    return d;
  }

  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<void> {
    for (const j of jobsBeyondHistory(cj, jobs.filter(isJobFinished))) {
      try {
        await this.ctx.client.delete(resources.jobs, j.metadata?.namespace, j.metadata?.name ?? '', { propagationPolicy: 'Background' });
        this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata?.name}`);
      } catch (err) { if (!isNotFound(err)) throw err; }
    }
  }

  /** A conflict fails the sync: the retry recomputes from a fresher cache rather than overwrite newer status. */
  private async writeStatus(cj: CronJob): Promise<void> {
    await this.ctx.client.updateStatus(resources.cronjobs, cj);
  }
}

export const cronJobController: ControllerFactory = (ctx) => new CronJobController(ctx);
