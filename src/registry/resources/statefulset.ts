// apps/v1 StatefulSet: defaults (update strategy with partition, claim retention policy, claim
// templates), validation, the spec fields updates may change, status and scale.
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import { statefulSetPrinter } from '../printers/workloads';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validateStatefulSetSpec, validateStatefulSetUpdate } from '../validation/statefulset';
import { defaultStatefulSet } from './workload-defaults';

export function validateStatefulSet(s: StatefulSet) {
  return [...validateObjectMeta(s.metadata, true, nameIsDNSSubdomain), ...validateStatefulSetSpec(s)];
}

export function statefulSetResource(): ResourceDef {
  return defineResource({
    group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', shortNames: ['sts'], categories: ['all'],
    namespaced: true, openapiName: 'io.k8s.api.apps.v1.StatefulSet', hasGeneration: true,
    subresources: {
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
    },
    strategy: {
      defaults: (o: KubeObject) => defaultStatefulSet(o as StatefulSet),
      // Go's non-omitempty counters serialise even on an empty status.
      prepareForCreate(o: KubeObject) { o.status = { replicas: 0, availableReplicas: 0 }; },
      validate: (o: KubeObject) => validateStatefulSet(o as StatefulSet),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateStatefulSetUpdate(o as StatefulSet, old as StatefulSet),
      ],
    },
    printer: statefulSetPrinter,
  });
}
