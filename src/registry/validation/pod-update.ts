// Pod spec update rules: a running pod's spec is fixed except images, activeDeadlineSeconds, added
// tolerations and a negative grace period becoming 1; anything else is upstream's Forbidden error.
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, forbiddenField, required } from '../field-error';

const updatableFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** JSON with sorted keys, so semantically equal specs compare equal. */
export function stableJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJSON).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stableJSON(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const goFieldName = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);

/** A compact field-level diff in the spirit of upstream's cmp.Diff output. */
function specDiff(oldSpec: PodSpec, newSpec: PodSpec): string {
  const o = oldSpec as unknown as Record<string, unknown>;
  const n = newSpec as unknown as Record<string, unknown>;
  const lines = ['  core.PodSpec{'];
  for (const k of [...new Set([...Object.keys(o), ...Object.keys(n)])].sort()) {
    if (stableJSON(o[k]) === stableJSON(n[k])) continue;
    if (o[k] !== undefined) lines.push(`- \t${goFieldName(k)}: ${stableJSON(o[k])},`);
    if (n[k] !== undefined) lines.push(`+ \t${goFieldName(k)}: ${stableJSON(n[k])},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}

function tolerationsOnlyAdded(oldT: Toleration[] | undefined, newT: Toleration[] | undefined): boolean {
  const remaining = (newT ?? []).map(stableJSON);
  return (oldT ?? []).every((t) => {
    const i = remaining.indexOf(stableJSON(t));
    if (i < 0) return false;
    remaining.splice(i, 1);
    return true;
  });
}

export function validatePodSpecUpdate(newSpec: PodSpec | undefined, oldSpec: PodSpec | undefined): FieldError[] {
  const specPath = FieldPath.root('spec');
  const n: PodSpec = structuredClone(newSpec ?? { containers: [] });
  const o: PodSpec = oldSpec ?? { containers: [] };
  const errs: FieldError[] = [];
  if ((n.containers ?? []).length !== (o.containers ?? []).length) {
    return [forbiddenField(specPath.child('containers'), 'pod updates may not add or remove containers')];
  }
  if ((n.initContainers ?? []).length !== (o.initContainers ?? []).length) {
    return [forbiddenField(specPath.child('initContainers'), 'pod updates may not add or remove containers')];
  }
  (n.containers ?? []).forEach((c, i) => {
    if (!c.image) errs.push(required(specPath.child('containers').index(i).child('image')));
    c.image = o.containers[i].image;
  });
  (n.initContainers ?? []).forEach((c, i) => {
    if (!c.image) errs.push(required(specPath.child('initContainers').index(i).child('image')));
    c.image = (o.initContainers ?? [])[i].image;
  });
  if (o.activeDeadlineSeconds !== undefined) {
    if (n.activeDeadlineSeconds === undefined || n.activeDeadlineSeconds > o.activeDeadlineSeconds) {
      errs.push(new FieldError('Invalid', String(specPath.child('activeDeadlineSeconds')), n.activeDeadlineSeconds ?? null,
        'must be less than or equal to previous value'));
    }
  }
  n.activeDeadlineSeconds = o.activeDeadlineSeconds;
  if (tolerationsOnlyAdded(o.tolerations, n.tolerations)) n.tolerations = o.tolerations;
  if ((o.terminationGracePeriodSeconds ?? 0) < 0 && n.terminationGracePeriodSeconds === 1) {
    n.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
  }
  // Scheduling gates may only be removed; the scheduler and users clear them to release a pod.
  const oldGates = new Set((o.schedulingGates ?? []).map((g) => g.name));
  if ((n.schedulingGates ?? []).every((g) => oldGates.has(g.name))) n.schedulingGates = o.schedulingGates;
  for (const k of Object.keys(n) as (keyof PodSpec)[]) if (n[k] === undefined) delete n[k];
  const oClean = structuredClone(o);
  for (const k of Object.keys(oClean) as (keyof PodSpec)[]) if (oClean[k] === undefined) delete oClean[k];
  if (stableJSON(n) !== stableJSON(oClean)) {
    errs.push(forbiddenField(specPath, `pod updates may not change fields other than ${updatableFields.join(',')}\n${specDiff(oClean, n)}`));
  }
  return errs;
}
