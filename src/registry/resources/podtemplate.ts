// core/v1 PodTemplate: a stored pod template, defaulted and validated like any template.
import type { PodTemplate } from 'kubernetes-types/core/v1';
import { FieldPath } from '../field-error';
import { podTemplatePrinter } from '../printers/workloads';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validatePodTemplateSpec } from '../validation/pod-spec';
import { defaultPodTemplate } from './workload-defaults';

export function podTemplateResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'PodTemplate', plural: 'podtemplates',
    namespaced: true, openapiName: 'io.k8s.api.core.v1.PodTemplate',
    strategy: {
      defaults: (o: KubeObject) => defaultPodTemplate((o as PodTemplate).template, 'PodTemplate'),
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain),
        ...validatePodTemplateSpec((o as PodTemplate).template, FieldPath.root('template')),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: podTemplatePrinter,
  });
}
