// core/v1 ComponentStatus (deprecated upstream, still served): read-only, computed on each request by
// probing etcd, the scheduler and the controller-manager (see src/api/component-status.ts).
import { componentStatusPrinter } from '../printers/simple';
import { defineResource } from '../resource-table';
import type { ResourceDef } from '../resource-types';

export function componentStatusResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'ComponentStatus', plural: 'componentstatuses', shortNames: ['cs'],
    namespaced: false, openapiName: 'io.k8s.api.core.v1.ComponentStatus', verbs: ['get', 'list'],
    computedBy: 'componentstatuses',
    printer: componentStatusPrinter,
  });
}
