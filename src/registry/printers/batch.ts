// `kubectl get jobs` and `kubectl get cronjobs` columns: status, completions and duration; schedule,
// time zone, suspension, active jobs and the last schedule.
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, containerCells, containersColumn, formatLabelSelector, humanDuration, imagesColumn, nameColumn } from './index-helpers';

const jobSelectorDoc = 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

function hasCondition(job: Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function jobStatus(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function duration(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'Status of the job execution.'),
    col('Completions', 'string', 'The completion status of the job.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    col('Selector', 'string', jobSelectorDoc, 1),
  ],
  row(obj: KubeObject): unknown[] {
    const job = obj as Job;
    const [containers, images] = containerCells(job.spec?.template?.spec?.containers);
    return [
      job.metadata?.name ?? '', jobStatus(job), completions(job), duration(job, Date.now()), ageSince(job.metadata?.creationTimestamp),
      containers, images, formatLabelSelector(job.spec?.selector),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    col('Selector', 'string', jobSelectorDoc, 1),
  ],
  row(obj: KubeObject): unknown[] {
    const cj = obj as CronJob;
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [containers, images] = containerCells(jobSpec?.template?.spec?.containers);
    const suspend = cj.spec?.suspend;
    return [
      cj.metadata?.name ?? '', cj.spec?.schedule ?? '', cj.spec?.timeZone ?? '<none>',
      suspend === undefined ? '<unset>' : suspend ? 'True' : 'False', (cj.status?.active ?? []).length,
      cj.status?.lastScheduleTime ? ageSince(cj.status.lastScheduleTime) : '<none>', ageSince(cj.metadata?.creationTimestamp),
      containers, images, formatLabelSelector(jobSpec?.selector),
    ];
  },
};
