// The pods of a Job: how one is made from the template (tracking finalizer, owner reference, and for
// Indexed Jobs the completion index annotation, label, env var, hostname and `<job>-<index>-` name),
// and how the controller reads them (index, failed, terminating).
import type { Job } from 'kubernetes-types/batch/v1';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';

export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
export const completionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const completionIndexEnv = 'JOB_COMPLETION_INDEX';
/** Room left in a 63-character name for the 5 random characters generateName adds. */
const maxGeneratedNameLength = 58;

export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** Only pods that reached Failed are replaced (podReplacementPolicy Failed, implied by podFailurePolicy). */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

export function hasTrackingFinalizer(p: Pod): boolean {
  return p.metadata?.finalizers?.includes(jobTrackingFinalizer) ?? false;
}

/** The pod's completion index, or -1 when it has none (or a malformed one). */
export function completionIndexOf(p: Pod): number {
  const v = p.metadata?.annotations?.[completionIndexAnnotation];
  if (v === undefined || !/^\+?\d+$/.test(v)) return -1;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : -1;
}

/** Failed, or (unless only failed pods are replaced) being deleted before it succeeded. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/** Being deleted but not yet finished (IsPodTerminating). */
export function isPodTerminating(p: Pod): boolean {
  const phase = p.status?.phase;
  return !!p.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > maxGeneratedNameLength ? jobName.slice(0, maxGeneratedNameLength - suffix.length) + suffix : prefix;
}

function withIndexEnv(c: Container): Container {
  if (c.env?.some((e) => e.name === completionIndexEnv)) return c;
  return {
    ...c,
    env: [...(c.env ?? []), { name: completionIndexEnv, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${completionIndexAnnotation}']` } } }],
  };
}

/** The pod the Job creates; `index` is the completion index for an Indexed Job. */
export function podForJob(job: Job, ref: OwnerReference, index?: number): Pod {
  const t = job.spec?.template;
  const md = t?.metadata;
  const name = job.metadata?.name ?? '';
  const finalizers = [...(md?.finalizers ?? [])];
  if (!finalizers.includes(jobTrackingFinalizer)) finalizers.push(jobTrackingFinalizer);
  const spec = structuredClone(t?.spec ?? { containers: [] });
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${name}-`,
      namespace: job.metadata?.namespace,
      labels: { ...md?.labels },
      ...(md?.annotations ? { annotations: { ...md.annotations } } : {}),
      finalizers,
      ownerReferences: [ref],
    },
    spec,
  };
  if (index !== undefined) {
    const meta = pod.metadata!;
    meta.generateName = podGenerateNameWithIndex(name, index);
    meta.annotations = { ...meta.annotations, [completionIndexAnnotation]: String(index) };
    meta.labels = { ...meta.labels, [completionIndexAnnotation]: String(index) };
    spec.hostname = `${name}-${index}`;
    spec.containers = spec.containers.map(withIndexEnv);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndexEnv);
  }
  return pod;
}
