// scheduling.k8s.io/v1 PriorityClass validation: reserved `system-` names, the user-definable ceiling,
// preemption policy, and the fields an update may not change.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { FieldError, FieldPath, forbiddenField, notSupported } from '../field-error';
import { nameIsDNSSubdomain } from './names';
import { validateImmutableField, validateObjectMeta } from './object-meta';

/** The priority classes every cluster has, built in at start. */
export const systemPriorityClasses: { name: string; value: number; description: string }[] = [
  { name: 'system-node-critical', value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

export const highestUserDefinablePriority = 1000000000;

function systemClassError(pc: PriorityClass): string | undefined {
  const known = systemPriorityClasses.find((s) => s.name === pc.metadata?.name);
  if (!known) return `${pc.metadata?.name} is not a known system priority class`;
  if (known.value !== pc.value) return `value of ${known.name} PriorityClass must be ${known.value}`;
  if (pc.globalDefault) return `globalDefault of ${known.name} PriorityClass must be false`;
  return undefined;
}

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs = validateObjectMeta(pc.metadata, false, nameIsDNSSubdomain);
  if ((pc.metadata?.name ?? '').startsWith('system-')) {
    const e = systemClassError(pc);
    if (e) errs.push(forbiddenField(FieldPath.root('metadata').child('name'), `priority class names with 'system-' prefix are reserved for system use only. error: ${e}`));
  } else if (pc.value > highestUserDefinablePriority) {
    errs.push(forbiddenField('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`));
  }
  const pp = pc.preemptionPolicy;
  if (pp !== undefined && pp !== 'Never' && pp !== 'PreemptLowerPriority') errs.push(notSupported('preemptionPolicy', pp, ['Never', 'PreemptLowerPriority']));
  return errs;
}

export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if (pc.value !== old.value) errs.push(forbiddenField('value', 'may not be changed in an update.'));
  errs.push(...validateImmutableField(pc.preemptionPolicy, old.preemptionPolicy, FieldPath.root('preemptionPolicy')));
  return errs;
}
