// core/v1 Service: defaults, validation, cluster-IP carry-over on update and its printer.
// ClusterIP/NodePort allocation lives in service-allocator.ts, called by the store around writes.
import type { Service } from 'kubernetes-types/core/v1';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { servicePrinter } from '../printers/service';
import { validateObjectMetaUpdate } from '../validation/object-meta';
import { validateService, validateServiceUpdate } from '../validation/service';
import { carryAllocatedValues, defaultIpFamilies, defaultService } from './service-defaults';

export function serviceResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'],
    namespaced: true, storagePrefix: 'services/specs', openapiName: 'io.k8s.api.core.v1.Service',
    subresources: { status: true, others: ['proxy'] },
    strategy: {
      defaults: (o: KubeObject) => defaultService(o as Service),
      prepareForCreate(o: KubeObject) {
        defaultIpFamilies(o as Service);
        o.status = { loadBalancer: {} };
      },
      prepareForUpdate: (o: KubeObject, old: KubeObject) => carryAllocatedValues(o as Service, old as Service),
      validate: (o: KubeObject) => validateService(o as Service),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateServiceUpdate(o as Service, old as Service),
      ],
    },
    printer: servicePrinter,
  });
}
