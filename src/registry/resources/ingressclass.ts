// networking.k8s.io/v1 IngressClass: cluster-scoped; controller required and immutable, parameters scope defaulted.
import type { IngressClass } from 'kubernetes-types/networking/v1';
import { FieldPath } from '../field-error';
import { ingressClassPrinter } from '../printers/networking';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateIngressClass } from '../validation/networking';
import { validateImmutableField, validateObjectMetaUpdate } from '../validation/object-meta';

export function ingressClassResource(): ResourceDef {
  return defineResource({
    group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses',
    namespaced: false, openapiName: 'io.k8s.api.networking.v1.IngressClass', hasGeneration: true,
    strategy: {
      defaults(o: KubeObject) {
        const params = (o as IngressClass).spec?.parameters;
        if (params && params.scope === undefined) (params as { scope?: string }).scope = 'Cluster';
      },
      validate: (o: KubeObject) => validateIngressClass(o as IngressClass),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateImmutableField((o as IngressClass).spec?.controller, (old as IngressClass).spec?.controller, FieldPath.root('spec').child('controller')),
      ],
    },
    printer: ingressClassPrinter,
  });
}
