// scheduling.k8s.io/v1 PriorityClass: cluster-scoped; preemptionPolicy defaulted, value immutable,
// `system-` names reserved for the two built-in classes.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { priorityClassPrinter } from '../printers/cluster-classes';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Writable } from '../resource-types';
import { validateObjectMetaUpdate } from '../validation/object-meta';
import { validatePriorityClass, validatePriorityClassUpdate } from '../validation/scheduling';

export function priorityClassResource(): ResourceDef {
  return defineResource({
    group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', shortNames: ['pc'],
    namespaced: false, openapiName: 'io.k8s.api.scheduling.v1.PriorityClass',
    strategy: {
      defaults(o: KubeObject) { (o as Writable<PriorityClass>).preemptionPolicy ??= 'PreemptLowerPriority'; },
      validate: (o: KubeObject) => validatePriorityClass(o as unknown as PriorityClass),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validatePriorityClassUpdate(o as unknown as PriorityClass, old as unknown as PriorityClass),
      ],
    },
    printer: priorityClassPrinter,
  });
}
