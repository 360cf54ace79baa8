// StatefulSet validation (upstream ValidateStatefulSetSpec / _Update): pod management and update
// strategy, claim retention policy, selector vs template, and the few spec fields updates may change.
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, notSupported, required } from '../field-error';
import { fromLabelSelector } from '../label-selector';
import { stableJSON } from './pod-update';
import { goLabelSelector, invalidRendered } from './go-format';
import { validateLabelSelector } from './label-selector';
import { validateAnnotations, validateLabels } from './object-meta';
import { validateAlwaysRestart, validateNonNegative, validateTemplateLabelsMatch } from './workload';

const retentionTypes = ['Retain', 'Delete'];

function goRollingUpdate(ru: object): string {
  const p = (ru as { partition?: number; maxUnavailable?: number | string }).partition;
  return `&apps.RollingUpdateStatefulSetStrategy{Partition:${p ?? 0}, MaxUnavailable:<nil>}`;
}

export function validateStatefulSetSpec(sts: StatefulSet): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec');
  const spec = sts.spec;
  const pmp = spec?.podManagementPolicy;
  if (!pmp) errs.push(required(p.child('podManagementPolicy')));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') {
    errs.push(invalidValue(p.child('podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
  }
  const us = spec?.updateStrategy;
  const usp = p.child('updateStrategy');
  switch (us?.type) {
    case undefined: case '': errs.push(required(usp)); break;
    case 'OnDelete':
      if (us.rollingUpdate) {
        errs.push(invalidRendered(usp.child('rollingUpdate'), us.rollingUpdate, goRollingUpdate(us.rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate':
      if (us.rollingUpdate) errs.push(...validateNonNegative(us.rollingUpdate.partition, usp.child('rollingUpdate').child('partition')));
      break;
    default:
      errs.push(invalidRendered(usp, us, `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(us?.type)}, RollingUpdate:${us?.rollingUpdate ? goRollingUpdate(us.rollingUpdate) : '(*apps.RollingUpdateStatefulSetStrategy)(nil)'}}`,
        "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const rp = spec?.persistentVolumeClaimRetentionPolicy;
  const rpp = p.child('persistentVolumeClaimRetentionPolicy');
  for (const f of ['whenDeleted', 'whenScaled'] as const) {
    const v = rp?.[f];
    if (rp && !retentionTypes.includes(v ?? '')) errs.push(notSupported(rpp.child(f), v ?? '', retentionTypes));
  }
  errs.push(...validateNonNegative(spec?.replicas, p.child('replicas')));
  if (spec?.ordinals) errs.push(...validateNonNegative(spec.ordinals.start, p.child('ordinals.start')));
  errs.push(...validateNonNegative(spec?.minReadySeconds, p.child('minReadySeconds')));
  const selector = spec?.selector;
  if (!selector) errs.push(required(p.child('selector')));
  else {
    errs.push(...validateLabelSelector(selector, p.child('selector')));
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      errs.push(invalidRendered(p.child('selector'), selector, goLabelSelector(selector), 'empty selector is invalid for statefulset'));
    }
  }
  const tp = p.child('template');
  const template = spec?.template;
  let sel: ReturnType<typeof fromLabelSelector> = null;
  let selectorOk = true;
  try { sel = fromLabelSelector(selector); } catch { selectorOk = false; }
  if (!selectorOk) errs.push(invalidRendered(p.child('selector'), selector, goLabelSelector(selector), ''));
  else if (!template) errs.push(required(tp));
  else {
    errs.push(...validateTemplateLabelsMatch(sel, template, tp));
    // As upstream: a StatefulSet's pod spec is not validated here (its mounts may name claim templates);
    // only the template's labels and annotations, at these (metadata-less) paths.
    errs.push(...validateLabels(template.metadata?.labels, tp.child('labels')));
    errs.push(...validateAnnotations(template.metadata?.annotations, tp.child('annotations')));
  }
  if (template) errs.push(...validateAlwaysRestart(template, tp, 'StatefulSet'));
  return errs;
}

/** Only replicas, ordinals, template, updateStrategy, revisionHistoryLimit, the retention policy and minReadySeconds may change. */
export function validateStatefulSetUpdate(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
  const rest = (s: StatefulSet['spec']) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !mutable.includes(k)));
  if (stableJSON(rest(sts.spec)) === stableJSON(rest(old.spec))) return [];
  return [forbiddenField('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")];
}
