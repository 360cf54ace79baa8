// Job and CronJob validation (upstream pkg/apis/batch/validation): counts, completion mode, the
// template's restart policy, the generated selector, immutable fields, and CronJob schedules, time
// zones, concurrency policy and history limits.
import type { CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec } from 'kubernetes-types/batch/v1';
import { FieldError, FieldPath, invalidValue, notSupported, required } from '../field-error';
import { fromLabelSelector } from '../label-selector';
import { cronScheduleError, knownTimeZone } from './cron-schedule';
import { goLabelSelector, goStringMap, invalidRendered } from './go-format';
import { validateLabelSelector } from './label-selector';
import { isDNS1123Label } from './names';
import { validatePodTemplateSpec } from './pod-spec';
import { stableJSON } from './pod-update';
import { validateImmutableField } from './object-meta';
import { validateNonNegative } from './workload';

export const controllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const legacyControllerUidLabel = 'controller-uid';
export const jobNameLabel = 'batch.kubernetes.io/job-name';
export const legacyJobNameLabel = 'job-name';

const maxParallelismForIndexedJob = 100000;

/** upstream validateJobSpec: the parts a Job and a CronJob's jobTemplate share. */
function validateJobSpecFields(spec: JobSpec | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonNegative(spec?.parallelism, p.child('parallelism')));
  errs.push(...validateNonNegative(spec?.completions, p.child('completions')));
  errs.push(...validateNonNegative(spec?.activeDeadlineSeconds, p.child('activeDeadlineSeconds')));
  errs.push(...validateNonNegative(spec?.backoffLimit, p.child('backoffLimit')));
  errs.push(...validateNonNegative(spec?.ttlSecondsAfterFinished, p.child('ttlSecondsAfterFinished')));
  const mode = spec?.completionMode;
  if (mode !== undefined) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(p.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (spec?.completions === undefined) errs.push(required(p.child('completions'), 'when completion mode is Indexed'));
      if ((spec?.parallelism ?? 0) > maxParallelismForIndexedJob) {
        errs.push(invalidValue(p.child('parallelism'), spec?.parallelism, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`));
      }
    }
  }
  const tp = p.child('template');
  errs.push(...validatePodTemplateSpec(spec?.template, tp));
  // The template's restartPolicy was defaulted to Always when unset, so Always reads as "missing".
  const rp = spec?.template?.spec?.restartPolicy ?? '';
  const rpp = tp.child('spec').child('restartPolicy');
  if (rp === 'Always' || rp === '') errs.push(required(rpp, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(notSupported(rpp, rp, ['OnFailure', 'Never']));
  else if (spec?.podFailurePolicy && rp !== 'Never') errs.push(invalidValue(rpp, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

/** upstream ValidateJobSpec: the shared fields, then the selector and the template's labels against it. */
function validateJobSpec(spec: JobSpec | undefined, p: FieldPath): FieldError[] {
  const errs = validateJobSpecFields(spec, p);
  const selector = spec?.selector;
  if (!selector) errs.push(required(p.child('selector')));
  else errs.push(...validateLabelSelector(selector, p.child('selector')));
  let matches = false;
  try {
    const sel = fromLabelSelector(selector);
    matches = sel !== null && sel.matches(spec?.template?.metadata?.labels);
  } catch { return errs; }
  if (!matches) {
    const labels = spec?.template?.metadata?.labels;
    errs.push(invalidRendered(p.child('template').child('metadata').child('labels'), labels ?? null, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  return errs;
}

/** upstream ValidateHasLabel. */
function hasLabel(labels: Record<string, string> | undefined, key: string, want: string, p: FieldPath): FieldError[] {
  const lp = p.child('labels').key(key);
  const got = labels?.[key];
  if (got === undefined) return [required(lp, `must be '${want}'`)];
  if (got !== want) return [invalidRendered(lp, labels, goStringMap(labels), `must be '${want}'`)];
  return [];
}

/** When the server generated the selector, the labels it put on the template must still be there. */
function validateGeneratedSelector(job: Job): FieldError[] {
  if (job.spec?.manualSelector === true || !job.spec?.selector) return [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  const errs: FieldError[] = [];
  if (!uid) errs.push(required('metadata.uid'));
  const tm = FieldPath.root('spec').child('template').child('metadata');
  const labels = job.spec.template?.metadata?.labels;
  errs.push(...hasLabel(labels, legacyControllerUidLabel, uid, tm));
  errs.push(...hasLabel(labels, legacyJobNameLabel, name, tm));
  errs.push(...hasLabel(labels, controllerUidLabel, uid, tm));
  errs.push(...hasLabel(labels, jobNameLabel, name, tm));
  try {
    const sel = fromLabelSelector(job.spec.selector);
    if (sel && !sel.matches({ [controllerUidLabel]: uid, [legacyControllerUidLabel]: uid })) {
      errs.push(invalidRendered('spec.selector', job.spec.selector, goLabelSelector(job.spec.selector), '`selector` not auto-generated'));
    }
  } catch { /* reported by the selector's own validation */ }
  return errs;
}

export function validateJob(job: Job): FieldError[] {
  const errs = validateGeneratedSelector(job);
  errs.push(...validateJobSpec(job.spec, FieldPath.root('spec')));
  const completions = job.spec?.completions;
  if (job.spec?.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    const host = `${job.metadata?.name ?? ''}-${completions - 1}`;
    if (isDNS1123Label(host).length) {
      errs.push(invalidValue('metadata.name', job.metadata?.name, `will not able to create pod with invalid DNS label: ${host}`));
    }
  }
  return errs;
}

/**
 * The old template, with the scheduling directives a suspended Job that never started may change (node
 * selector and affinity, tolerations, scheduling gates, template labels and annotations) taken from `next`.
 */
function schedulingDirectivesFrom(old: Job, next: JobSpec['template']): JobSpec['template'] {
  const oldTemplate = old.spec?.template ?? {};
  if (!old.spec?.suspend || old.status?.startTime) return oldTemplate;
  const t = structuredClone(oldTemplate);
  const spec = (t.spec ??= { containers: [] });
  const nextSpec = next.spec;
  const { nodeAffinity: _ignored, ...otherAffinity } = spec.affinity ?? {};
  if (!nextSpec?.affinity) {
    if (Object.keys(otherAffinity).length) spec.affinity = otherAffinity; else delete spec.affinity;
  } else {
    spec.affinity = { ...otherAffinity, ...(nextSpec.affinity.nodeAffinity ? { nodeAffinity: nextSpec.affinity.nodeAffinity } : {}) };
  }
  for (const f of ['nodeSelector', 'tolerations', 'schedulingGates'] as const) {
    if (nextSpec?.[f] === undefined) delete spec[f]; else (spec as unknown as Record<string, unknown>)[f] = nextSpec[f];
  }
  const md = (t.metadata ??= {});
  for (const f of ['labels', 'annotations'] as const) {
    if (next.metadata?.[f] === undefined) delete md[f]; else md[f] = next.metadata[f];
  }
  return t;
}

export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const p = FieldPath.root('spec');
  const spec = job.spec ?? { template: {} };
  const oldSpec = old.spec ?? { template: {} };
  const errs: FieldError[] = [];
  // Indexed jobs may scale: completions follows parallelism when both change together.
  const elastic = spec.completionMode === 'Indexed' && oldSpec.completionMode === 'Indexed' &&
    spec.completions === spec.parallelism && oldSpec.completions === oldSpec.parallelism;
  if (!elastic) errs.push(...validateImmutableField(spec.completions ?? null, oldSpec.completions ?? null, p.child('completions')));
  if (stableJSON(spec.selector ?? null) !== stableJSON(oldSpec.selector ?? null)) {
    errs.push(invalidRendered(p.child('selector'), spec.selector, goLabelSelector(spec.selector), 'field is immutable'));
  }
  if (stableJSON(spec.template) !== stableJSON(schedulingDirectivesFrom(old, spec.template))) {
    // Upstream prints the whole template with %#v here; the elided form keeps the path and the reason.
    errs.push(invalidRendered(p.child('template'), spec.template, 'core.PodTemplateSpec{...}', 'field is immutable'));
  }
  errs.push(...validateImmutableField(spec.completionMode ?? null, oldSpec.completionMode ?? null, p.child('completionMode')));
  for (const f of ['podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) {
    if (stableJSON(spec[f] ?? null) !== stableJSON(oldSpec[f] ?? null)) errs.push(invalidValue(p.child(f), spec[f] ?? null, 'field is immutable'));
  }
  return errs;
}

function validateJobTemplateSpec(t: JobTemplateSpec | undefined, p: FieldPath): FieldError[] {
  const sp = p.child('spec');
  const errs = validateJobSpecFields(t?.spec, sp);
  const sel = t?.spec?.selector;
  if (sel) errs.push(invalidRendered(sp.child('selector'), sel, goLabelSelector(sel), '`selector` will be auto-generated'));
  if (t?.spec?.manualSelector === true) errs.push(notSupported(sp.child('manualSelector'), true, ['nil', 'false']));
  return errs;
}

function validateSchedule(spec: CronJobSpec, oldSpec: CronJobSpec | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec.schedule;
  if (!s) return [required(p)];
  const parseErr = cronScheduleError(s);
  if (parseErr) errs.push(invalidValue(p, s, parseErr));
  const allowTZ = oldSpec?.schedule.includes('TZ') ?? false;
  if (allowTZ && s.includes('TZ') && spec.timeZone !== undefined) {
    errs.push(invalidValue(p, s, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && s.includes('TZ')) {
    errs.push(invalidValue(p, s, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

const timeZonePart = /^[A-Za-z._+\-0-9]+$/;

function validateTimeZone(tz: string | undefined, p: FieldPath): FieldError[] {
  if (tz === undefined) return [];
  if (tz === '') return [invalidValue(p, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !timeZonePart.test(part)) {
      return [invalidValue(p, tz, `unknown time zone ${tz}`)];
    }
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(invalidValue(p, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!knownTimeZone(tz) || tz === 'Local') errs.push(invalidValue(p, tz, `unknown time zone ${tz}`));
  return errs;
}

export function validateCronJobSpec(cj: CronJob, old?: CronJob): FieldError[] {
  const p = FieldPath.root('spec');
  const spec = cj.spec ?? { schedule: '', jobTemplate: {} };
  const errs = validateSchedule(spec, old?.spec, p.child('schedule'));
  errs.push(...validateNonNegative(spec.startingDeadlineSeconds, p.child('startingDeadlineSeconds')));
  if (!old || old.spec?.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone, p.child('timeZone')));
  const cp = spec.concurrencyPolicy ?? '';
  if (cp === '') errs.push(required(p.child('concurrencyPolicy')));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(notSupported(p.child('concurrencyPolicy'), cp, ['Allow', 'Forbid', 'Replace']));
  errs.push(...validateJobTemplateSpec(spec.jobTemplate, p.child('jobTemplate')));
  errs.push(...validateNonNegative(spec.successfulJobsHistoryLimit, p.child('successfulJobsHistoryLimit')));
  errs.push(...validateNonNegative(spec.failedJobsHistoryLimit, p.child('failedJobsHistoryLimit')));
  return errs;
}
