// Defaults for batch/v1 Jobs and CronJobs (SetDefaults_Job / _CronJob), and the selector and labels
// the server generates for a Job unless manualSelector is set.
import type { CronJob, Job, JobSpec } from 'kubernetes-types/batch/v1';
import { controllerUidLabel, jobNameLabel, legacyControllerUidLabel, legacyJobNameLabel } from '../validation/job';
import { defaultPodTemplate } from './workload-defaults';

export function defaultJob(job: Job): void {
  const spec = job.spec;
  if (!spec) return;
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.manualSelector ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const c of rule.onPodConditions ?? []) c.status ||= 'True';
  }
  defaultPodTemplate(spec.template, 'Job');
}

/** upstream's generateSelector: job-name and controller-uid labels (both spellings), selected by uid. */
export function generateJobSelector(job: Job): void {
  const spec = job.spec as JobSpec | undefined;
  if (!spec || spec.manualSelector === true) return;
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  const tmd = (spec.template.metadata ??= {});
  const labels = (tmd.labels ??= {});
  labels[legacyJobNameLabel] ??= name;
  labels[jobNameLabel] ??= name;
  labels[legacyControllerUidLabel] ??= uid;
  labels[controllerUidLabel] ??= uid;
  const sel = (spec.selector ??= {});
  const ml = (sel.matchLabels ??= {});
  ml[controllerUidLabel] ??= uid;
  // A Job's labels default to its template's, which by now include the generated ones (as a read shows upstream).
  const md = (job.metadata ??= {});
  if (!md.labels || Object.keys(md.labels).length === 0) md.labels = { ...labels };
}

export function defaultCronJob(cj: CronJob): void {
  const spec = cj.spec;
  if (!spec) return;
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jt = (spec.jobTemplate ??= {});
  const md = (jt.metadata ??= {}) as Record<string, unknown>;
  if (md.creationTimestamp === undefined) md.creationTimestamp = null;
  defaultPodTemplate(jt.spec?.template, 'CronJob');
}
