// autoscaling HorizontalPodAutoscalers, served as v2 (the storage version) and v1 (converted on every
// read and write, one etcd key per object): defaults (minReplicas 1, an 80% CPU target, behavior rules
// once behavior is given), validation, status.
import type { HorizontalPodAutoscaler, HPAScalingRules } from 'kubernetes-types/autoscaling/v2';
import { hpaPrinter } from '../printers/hpa';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Strategy } from '../resource-types';
import { validateHpaSpec } from '../validation/hpa';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { hpaV1Conversion } from './hpa-conversion';

const scaleUpDefaults: HPAScalingRules = {
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};
const scaleDownDefaults: HPAScalingRules = {
  stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** The given rules over the defaults, field by field (upstream's copyHPAScalingRules). */
function withRuleDefaults(given: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  return {
    ...structuredClone(defaults),
    ...(given?.selectPolicy !== undefined ? { selectPolicy: given.selectPolicy } : {}),
    ...(given?.stabilizationWindowSeconds !== undefined ? { stabilizationWindowSeconds: given.stabilizationWindowSeconds } : {}),
    ...(given?.policies !== undefined ? { policies: given.policies } : {}),
  };
}

export function defaultHpa(h: HorizontalPodAutoscaler): void {
  const spec = h.spec;
  if (!spec) return;
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = withRuleDefaults(spec.behavior.scaleUp, scaleUpDefaults);
    spec.behavior.scaleDown = withRuleDefaults(spec.behavior.scaleDown, scaleDownDefaults);
  }
}

const strategy: Strategy = {
  defaults: (o: KubeObject) => defaultHpa(o as HorizontalPodAutoscaler),
  prepareForCreate(o: KubeObject) { o.status = { desiredReplicas: 0 }; },
  validate: (o: KubeObject) => [...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain), ...validateHpaSpec(o as HorizontalPodAutoscaler)],
  validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
};

const common = {
  group: 'autoscaling', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'],
  namespaced: true, hasGeneration: true, subresources: { status: true }, strategy,
};

export function hpaV2Resource(): ResourceDef {
  return defineResource({ ...common, version: 'v2', openapiName: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler', printer: hpaPrinter });
}

export function hpaV1Resource(): ResourceDef {
  return defineResource({
    ...common, version: 'v1', openapiName: 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler',
    conversion: hpaV1Conversion,
    // Rows are printed from the v2 form, as upstream prints from its internal version.
    printer: { columns: hpaPrinter.columns, row: (o) => hpaPrinter.row(hpaV1Conversion.toStorage(o)) },
  });
}
