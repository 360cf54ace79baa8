// Validation shared by workloads that embed a pod template (Deployment, ReplicaSet, StatefulSet,
// DaemonSet, ReplicationController, Job): replicas, selector vs template labels, template restart
// policy, int-or-percent rollout fields, deployment strategy, immutable selector.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { DeploymentStrategy } from 'kubernetes-types/apps/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, notSupported, required } from '../field-error';
import { fromLabelSelector } from '../label-selector';
import { goIntOrString, goLabelSelector, goStringMap, invalidRendered } from './go-format';
import { validateLabelSelector } from './label-selector';
import { validatePodTemplateSpec } from './pod-spec';
import { stableJSON } from './pod-update';

export function validateNonNegative(v: number | undefined, p: FieldPath): FieldError[] {
  return v !== undefined && v < 0 ? [invalidValue(p, v, 'must be greater than or equal to 0')] : [];
}

/** The kind-specific words in the shared messages (upstream reuses "deployment" for ReplicaSets). */
export interface TemplateRules {
  /** Named in "empty selector is invalid for <x>". */
  emptySelectorFor: string;
  /** Named in "activeDeadlineSeconds in <x> is not Supported". */
  owner: string;
}

const replicaSetRules: TemplateRules = { emptySelectorFor: 'deployment', owner: 'ReplicaSet' };

/** The template's restartPolicy must be Always, and activeDeadlineSeconds unset, for long-running workloads. */
export function validateAlwaysRestart(template: PodTemplateSpec, tp: FieldPath, owner: string): FieldError[] {
  const errs: FieldError[] = [];
  const rp = template.spec?.restartPolicy;
  if (rp && rp !== 'Always') errs.push(notSupported(tp.child('spec').child('restartPolicy'), rp, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbiddenField(tp.child('spec').child('activeDeadlineSeconds'), `activeDeadlineSeconds in ${owner} is not Supported`));
  }
  return errs;
}

/**
 * The template's labels against a selector: upstream's "`selector` does not match template `labels`".
 * A missing selector (null) converts to one that matches nothing, as upstream's LabelSelectorAsSelector(nil).
 */
export function validateTemplateLabelsMatch(sel: ReturnType<typeof fromLabelSelector>, template: PodTemplateSpec, tp: FieldPath): FieldError[] {
  if (sel && (sel.empty() || sel.matches(template.metadata?.labels))) return [];
  const labels = template.metadata?.labels;
  return [invalidRendered(tp.child('metadata').child('labels'), labels ?? null, goStringMap(labels), '`selector` does not match template `labels`')];
}

/** Selector presence and syntax, then the template against it (upstream ValidatePodTemplateSpecForReplicaSet). */
export function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined,
  specPath: FieldPath, rules: TemplateRules = replicaSetRules): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = specPath.child('selector');
  if (!selector) {
    errs.push(required(selPath));
  } else {
    errs.push(...validateLabelSelector(selector, selPath));
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      errs.push(invalidRendered(selPath, selector, goLabelSelector(selector), `empty selector is invalid for ${rules.emptySelectorFor}`));
    }
  }
  let sel: ReturnType<typeof fromLabelSelector> = null;
  try { sel = fromLabelSelector(selector); } catch {
    errs.push(invalidRendered(selPath, selector, goLabelSelector(selector), 'invalid label selector'));
    return errs;
  }
  const tp = specPath.child('template');
  if (!template) { errs.push(required(tp)); return errs; }
  errs.push(...validateTemplateLabelsMatch(sel, template, tp));
  errs.push(...validatePodTemplateSpec(template, tp));
  errs.push(...validateAlwaysRestart(template, tp, rules.owner));
  return errs;
}

export function intOrPercent(v: number | string | undefined, p: FieldPath): { errs: FieldError[]; zero: boolean; over100: boolean } {
  if (v === undefined) return { errs: [], zero: true, over100: false };
  if (typeof v === 'number') {
    return { errs: validateNonNegative(v, p), zero: v === 0, over100: false };
  }
  const m = /^(\d+)%$/.exec(v);
  if (!m) return { errs: [invalidRendered(p, v, goIntOrString(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")], zero: false, over100: false };
  const n = Number(m[1]);
  return { errs: [], zero: n === 0, over100: n > 100 };
}

export function validateDeploymentStrategy(s: DeploymentStrategy | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = s?.type;
  if (type === 'Recreate') {
    if (s?.rollingUpdate) errs.push(forbiddenField(p.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
  } else if (type === 'RollingUpdate') {
    const ru = s?.rollingUpdate;
    if (!ru) return [required(p.child('rollingUpdate'), 'this should be defaulted and never be nil')];
    const rp = p.child('rollingUpdate');
    const mu = intOrPercent(ru.maxUnavailable, rp.child('maxUnavailable'));
    const ms = intOrPercent(ru.maxSurge, rp.child('maxSurge'));
    errs.push(...mu.errs, ...ms.errs);
    if (mu.zero && ms.zero && mu.errs.length === 0 && ms.errs.length === 0) {
      errs.push(invalidRendered(rp.child('maxUnavailable'), ru.maxUnavailable, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
    }
    if (mu.over100) errs.push(invalidRendered(rp.child('maxUnavailable'), ru.maxUnavailable, goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
  } else {
    errs.push(notSupported(p, s ?? null, ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** apps/v1 selectors never change after creation. */
export function validateSelectorImmutable(n: LabelSelector | undefined, o: LabelSelector | undefined, p: FieldPath): FieldError[] {
  if (stableJSON(n ?? null) === stableJSON(o ?? null)) return [];
  return [invalidRendered(p, n ?? null, goLabelSelector(n), 'field is immutable')];
}
