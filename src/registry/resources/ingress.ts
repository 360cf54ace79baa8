// networking.k8s.io/v1 Ingress: rules/backends/TLS validation, status subresource (load balancer).
import type { Ingress } from 'kubernetes-types/networking/v1';
import { FieldPath } from '../field-error';
import { ingressPrinter } from '../printers/networking';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateIngress, validateIngressClassAnnotation } from '../validation/networking';
import { validateObjectMetaUpdate } from '../validation/object-meta';

export function ingressResource(): ResourceDef {
  return defineResource({
    group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'],
    namespaced: true, openapiName: 'io.k8s.api.networking.v1.Ingress', hasGeneration: true,
    subresources: { status: true },
    strategy: {
      prepareForCreate(o: KubeObject) { o.status = { loadBalancer: {} }; },
      validate: (o: KubeObject) => {
        const ing = o as Ingress;
        // The class annotation rule applies to creation only; a stored object already passed it.
        return o.metadata?.resourceVersion ? validateIngress(ing) : [...validateIngress(ing), ...validateIngressClassAnnotation(ing)];
      },
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata, FieldPath.root('metadata')),
    },
    printer: ingressPrinter,
  });
}
