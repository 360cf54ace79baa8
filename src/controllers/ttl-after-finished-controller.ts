// The TTL-after-finished controller: deletes a finished Job (Complete or Failed) once
// spec.ttlSecondsAfterFinished have passed since it finished, in the foreground so its pods go first,
// after re-reading the Job from the API (the TTL may have changed) and with its uid as a precondition.
import type { Job } from 'kubernetes-types/batch/v1';
import { isNotFound } from '../client/api-error';
import type { Informer } from '../client/informer';
import { objectKey, splitKey } from '../client/informer';
import { resources } from '../client/resource-ref';
import { runWorkers, WorkQueue, type ReconcileResult } from '../client/work-queue';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { jobFinishTime } from './job/job-conditions';
import { errorMessage } from './replicaset/replicaset-controller';

/** When the Job expires, or undefined for a Job without a TTL, unfinished, or being deleted. */
export function jobExpiresAt(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finished = jobFinishTime(job);
  return finished === undefined ? undefined : finished + ttl * 1000;
}

class TtlAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished';
  private readonly queue = new WorkQueue('ttl_jobs_to_delete');
  private readonly jobInformer: Informer<Job>;

  constructor(private readonly ctx: ControllerContext) {
    this.jobInformer = ctx.informers.for<Job>(resources.jobs);
    const enqueue = (job: Job) => { if (jobExpiresAt(job) !== undefined) this.queue.add(objectKey(job)); };
    this.jobInformer.on('add', enqueue);
    this.jobInformer.on('update', enqueue);
  }

  run(workers: number): void {
    void runWorkers(this.queue, workers, (key) => this.sync(key),
      (key, err) => this.ctx.log('ttl-after-finished sync failed', { key, err: errorMessage(err) }));
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.jobInformer.getByKey(key);
    if (!cached) return;
    const at = jobExpiresAt(cached);
    if (at === undefined) return;
    if (at > Date.now()) return { requeueAfterMs: at - Date.now() };
    // The cache may be stale (the TTL raised, the Job replaced): decide on the live object.
    const { namespace, name } = splitKey(key);
    const fresh = await this.ctx.client.find<Job>(resources.jobs, namespace, name);
    if (!fresh) return;
    const freshAt = jobExpiresAt(fresh);
    if (freshAt === undefined) return;
    if (freshAt > Date.now()) return { requeueAfterMs: freshAt - Date.now() };
    try {
      await this.ctx.client.delete(resources.jobs, namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid } });
      this.ctx.log('deleted expired job', { key });
    } catch (err) { if (!isNotFound(err)) throw err; }
  }
}

export const ttlAfterFinishedController: ControllerFactory = (ctx) => new TtlAfterFinishedController(ctx);
