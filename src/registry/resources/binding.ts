// core/v1 Binding under its own name: POST /api/v1/namespaces/<ns>/bindings assigns the pod the body
// names to a node, exactly as that pod's binding subresource does (upstream serves both; old schedulers use this one).
import { defineResource } from '../resource-table';
import type { ResourceDef } from '../resource-types';

export function bindingResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Binding', plural: 'bindings',
    namespaced: true, verbs: ['create'], openapiName: 'io.k8s.api.core.v1.Binding',
    subresourceOf: { plural: 'pods', subresource: 'binding' },
  });
}
