// DaemonSet validation (upstream ValidateDaemonSetSpec / _Update): selector vs template, the pod
// template, and the rolling update's maxUnavailable / maxSurge (exactly one non-zero).
import type { DaemonSet, DaemonSetUpdateStrategy } from 'kubernetes-types/apps/v1';
import { FieldError, FieldPath, invalidValue, notSupported, required } from '../field-error';
import { fromLabelSelector } from '../label-selector';
import { goIntOrString, goLabelSelector, invalidRendered, notSupportedRendered } from './go-format';
import { validateLabelSelector } from './label-selector';
import { validatePodTemplateSpec } from './pod-spec';
import { intOrPercent, validateNonNegative, validateTemplateLabelsMatch } from './workload';

function nonZero(v: number | string | undefined): boolean {
  if (v === undefined) return false;
  if (typeof v === 'number') return v !== 0;
  const m = /^(\d+)%$/.exec(v);
  return m ? Number(m[1]) !== 0 : true;
}

function validateUpdateStrategy(s: DaemonSetUpdateStrategy | undefined, p: FieldPath): FieldError[] {
  const type = s?.type;
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate') {
    const ru = s?.rollingUpdate ? '(*apps.RollingUpdateDaemonSet)(0xc000000000)' : '(*apps.RollingUpdateDaemonSet)(nil)';
    return [notSupportedRendered(p, s ?? null, `apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(type ?? '')}, RollingUpdate:${ru}}`, ['RollingUpdate', 'OnDelete'])];
  }
  const ru = s?.rollingUpdate;
  if (!ru) return [required(p.child('rollingUpdate'))];
  const rp = p.child('rollingUpdate');
  const errs: FieldError[] = [];
  const mu = intOrPercent(ru.maxUnavailable, rp.child('maxUnavailable'));
  const ms = intOrPercent(ru.maxSurge, rp.child('maxSurge'));
  errs.push(...mu.errs, ...ms.errs);
  if (mu.over100) errs.push(invalidRendered(rp.child('maxUnavailable'), ru.maxUnavailable, goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
  if (ms.over100) errs.push(invalidRendered(rp.child('maxSurge'), ru.maxSurge, goIntOrString(ru.maxSurge), 'must not be greater than 100%'));
  const hasUnavailable = nonZero(ru.maxUnavailable);
  const hasSurge = nonZero(ru.maxSurge);
  if (hasUnavailable && hasSurge) {
    errs.push(invalidRendered(rp.child('maxSurge'), ru.maxSurge, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  } else if (!hasUnavailable && !hasSurge) {
    errs.push(required(rp.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  }
  return errs;
}

export function validateDaemonSetSpec(ds: DaemonSet): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec');
  const spec = ds.spec;
  const selector = spec?.selector;
  errs.push(...validateLabelSelector(selector, p.child('selector')));
  const tp = p.child('template');
  const template = spec?.template ?? {};
  try {
    errs.push(...validateTemplateLabelsMatch(fromLabelSelector(selector), template, tp));
  } catch { /* syntax errors were reported above */ }
  if (selector && Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
    errs.push(invalidRendered(p.child('selector'), selector, goLabelSelector(selector), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(template, tp));
  const rp = template.spec?.restartPolicy;
  if (rp && rp !== 'Always') errs.push(notSupported(tp.child('spec').child('restartPolicy'), rp, ['Always']));
  const ads = template.spec?.activeDeadlineSeconds;
  if (ads !== undefined) errs.push(invalidValue(tp.child('spec').child('activeDeadlineSeconds'), ads, 'activeDeadlineSeconds must be nil for daemonset'));
  errs.push(...validateNonNegative(spec?.minReadySeconds, p.child('minReadySeconds')));
  errs.push(...validateUpdateStrategy(spec?.updateStrategy, p.child('updateStrategy')));
  errs.push(...validateNonNegative(spec?.revisionHistoryLimit, p.child('revisionHistoryLimit')));
  return errs;
}
