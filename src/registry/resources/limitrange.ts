// core/v1 LimitRange: container defaults filled from max/default/min as upstream defaults them,
// canonical quantities, and validation of the ranges' order.
import type { LimitRange } from 'kubernetes-types/core/v1';
import { limitRangePrinter } from '../printers/namespace-policies';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validateLimitRangeSpec } from '../validation/resource-quota';
import { canonicalizeResourceList } from './object-helpers';

function defaultLimitRange(lr: LimitRange): void {
  for (const item of lr.spec?.limits ?? []) {
    for (const list of [item.max, item.min, item.default, item.defaultRequest, item.maxLimitRequestRatio]) {
      canonicalizeResourceList(list, 'LimitRange', 'v1');
    }
    if (item.type !== 'Container') continue;
    // Missing default limits come from max; missing default requests from the default limit, then min.
    const def = { ...item.max, ...item.default };
    const req = { ...item.min, ...def, ...item.defaultRequest };
    if (Object.keys(def).length) item.default = def;
    if (Object.keys(req).length) item.defaultRequest = req;
  }
}

export function limitRangeResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'],
    namespaced: true, openapiName: 'io.k8s.api.core.v1.LimitRange',
    strategy: {
      defaults: (o: KubeObject) => defaultLimitRange(o as LimitRange),
      validate: (o: KubeObject) => [...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain), ...validateLimitRangeSpec(o as LimitRange)],
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: limitRangePrinter,
  });
}
