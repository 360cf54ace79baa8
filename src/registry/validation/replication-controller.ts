// ReplicationController validation (upstream ValidateReplicationControllerSpec): a non-empty map
// selector matching the template's labels, an Always-restarting template, non-negative counts.
import type { ReplicationController } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, required } from '../field-error';
import { LabelSelector } from '../label-selector';
import { validatePodTemplateSpec } from './pod-spec';
import { validateAlwaysRestart, validateNonNegative, validateTemplateLabelsMatch } from './workload';

export function validateReplicationControllerSpec(rc: ReplicationController): FieldError[] {
  const p = FieldPath.root('spec');
  const spec = rc.spec;
  const errs = validateNonNegative(spec?.minReadySeconds, p.child('minReadySeconds'));
  const selector = spec?.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(required(p.child('selector')));
  errs.push(...validateNonNegative(spec?.replicas, p.child('replicas')));
  const tp = p.child('template');
  const template = spec?.template;
  if (!template) {
    errs.push(required(tp));
    return errs;
  }
  const sel = new LabelSelector(Object.keys(selector).sort().map((k) => ({ key: k, op: '=' as const, values: [selector[k]] })));
  errs.push(...validateTemplateLabelsMatch(sel, template, tp));
  errs.push(...validatePodTemplateSpec(template, tp));
  errs.push(...validateAlwaysRestart(template, tp, 'ReplicationController'));
  return errs;
}
