// HorizontalPodAutoscaler validation (upstream validateHorizontalPodAutoscalerSpec), on the autoscaling/v2
// form every served version converts to: replica bounds, the scale target, and each metric's source and target.
import type { HorizontalPodAutoscaler, MetricSpec, MetricTarget } from 'kubernetes-types/autoscaling/v2';
import { FieldError, FieldPath, forbiddenField, invalidValue, notSupported, required } from '../field-error';
import { parseQuantity } from '../quantity';
import { isValidPathSegmentName } from './names';

const sourceTypes = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const sourceField: Record<string, keyof MetricSpec> = {
  ContainerResource: 'containerResource', External: 'external', Object: 'object', Pods: 'pods', Resource: 'resource',
};

function positive(v: string | undefined, p: FieldPath): FieldError[] {
  if (v === undefined) return [];
  try {
    const q = parseQuantity(v);
    return q.negative || q.isZero() ? [invalidValue(p, v, 'must be positive')] : [];
  } catch { return []; }
}

function validateTarget(t: MetricTarget | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type ?? '';
  if (!type) errs.push(required(p.child('type'), 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) {
    errs.push(invalidValue(p.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  }
  errs.push(...positive(t?.value, p.child('value')), ...positive(t?.averageValue, p.child('averageValue')));
  if (t?.averageUtilization !== undefined && t.averageUtilization < 1) {
    errs.push(invalidValue(p.child('averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function validateMetric(m: MetricSpec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!m.type) errs.push(required(p.child('type'), 'must specify a metric source type'));
  else if (!sourceTypes.includes(m.type)) errs.push(notSupported(p.child('type'), m.type, ['ContainerResource', 'External', 'Object', 'Pods', 'Resource']));
  const present = sourceTypes.filter((t) => m[sourceField[t]] !== undefined);
  if (present.length !== 1) {
    for (const t of present) errs.push(forbiddenField(p.child(sourceField[t]), 'must populate information for the given metric source (only allowed when type is ' + t + ')'));
  }
  const expected = sourceField[m.type];
  if (expected && m[expected] === undefined) errs.push(required(p.child(expected), 'must populate information for the given metric source'));
  const res = m.resource ?? m.containerResource;
  if (res) {
    const rp = p.child(m.resource ? 'resource' : 'containerResource');
    if (!res.name) errs.push(required(rp.child('name'), 'must specify a resource name'));
    errs.push(...validateTarget(res.target, rp.child('target')));
    if (res.target?.averageUtilization === undefined && res.target?.averageValue === undefined) {
      errs.push(required(rp.child('target').child('averageUtilization'), 'must set either a target raw value or a target utilization'));
    }
    if (res.target?.averageUtilization !== undefined && res.target.averageValue !== undefined) {
      errs.push(forbiddenField(rp.child('target').child('averageValue'), 'may not set both a target raw value and a target utilization'));
    }
  }
  for (const [src, f] of [[m.pods, 'pods'], [m.object, 'object'], [m.external, 'external']] as const) {
    if (src) errs.push(...validateTarget(src.target, p.child(f).child('target')));
  }
  return errs;
}

export function validateHpaSpec(hpa: HorizontalPodAutoscaler): FieldError[] {
  const p = FieldPath.root('spec');
  const spec = hpa.spec;
  const errs: FieldError[] = [];
  const min = spec?.minReplicas;
  const max = spec?.maxReplicas ?? 0;
  if (min !== undefined && min < 1) errs.push(invalidValue(p.child('minReplicas'), min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalidValue(p.child('maxReplicas'), max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(invalidValue(p.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  const rp = p.child('scaleTargetRef');
  for (const f of ['kind', 'name'] as const) {
    const v = spec?.scaleTargetRef?.[f] ?? '';
    if (!v) errs.push(required(rp.child(f)));
    else for (const m of isValidPathSegmentName(v)) errs.push(invalidValue(rp.child(f), v, m));
  }
  (spec?.metrics ?? []).forEach((m, i) => errs.push(...validateMetric(m, p.child('metrics').index(i))));
  return errs;
}
