// core/v1 ResourceQuota: canonical hard limits, validation of quota resource names and scopes, and a
// status the quota controller owns.
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { resourceQuotaPrinter } from '../printers/namespace-policies';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validateResourceQuotaSpec } from '../validation/resource-quota';
import { canonicalizeResourceList } from './object-helpers';

export function resourceQuotaResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'],
    namespaced: true, openapiName: 'io.k8s.api.core.v1.ResourceQuota',
    subresources: { status: true },
    strategy: {
      defaults(o: KubeObject) {
        const rq = o as ResourceQuota;
        canonicalizeResourceList(rq.spec?.hard, 'ResourceQuota', 'v1');
        canonicalizeResourceList(rq.status?.hard, 'ResourceQuota', 'v1');
        canonicalizeResourceList(rq.status?.used, 'ResourceQuota', 'v1');
      },
      prepareForCreate(o: KubeObject) { o.status = {}; },
      validate: (o: KubeObject) => [...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain), ...validateResourceQuotaSpec(o as ResourceQuota)],
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: resourceQuotaPrinter,
  });
}
