// policy/v1 PodDisruptionBudget validation: minAvailable xor maxUnavailable, each a count or a
// percentage, the selector, and the unhealthy-pod eviction policy.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { FieldError, FieldPath, notSupported } from '../field-error';
import { invalidRendered } from './go-format';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from './int-or-percent';
import { validateLabelSelector } from './label-selector';
import { nameIsPathSegment } from './names';
import { validateObjectMeta } from './object-meta';

const goPtr = (type: string, set: boolean) => `(*${type})(${set ? '0xc000000000' : 'nil'})`;

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec');
  const spec = pdb.spec ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    // Upstream prints the whole spec struct with its pointers' addresses; the addresses vary per process.
    const rendered = `policy.PodDisruptionBudgetSpec{MinAvailable:${goPtr('intstr.IntOrString', true)}, Selector:${goPtr('v1.LabelSelector', !!spec.selector)}, MaxUnavailable:${goPtr('intstr.IntOrString', true)}, UnhealthyPodEvictionPolicy:${goPtr('policy.UnhealthyPodEvictionPolicyType', !!spec.unhealthyPodEvictionPolicy)}}`;
    errs.push(invalidRendered(p, spec, rendered, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable'] as const) {
    const v = spec[key];
    if (v === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(v, p.child(key)), ...isNotMoreThan100Percent(v, p.child(key)));
  }
  errs.push(...validateLabelSelector(spec.selector, p.child('selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
    errs.push(notSupported(p.child('unhealthyPodEvictionPolicy'), policy, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  // Upstream's PDB validation covers the spec only; the generic metadata check (names as path segments) follows it.
  return errs.length ? errs : validateObjectMeta(pdb.metadata, true, nameIsPathSegment);
}
