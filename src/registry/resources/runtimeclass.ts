// node.k8s.io/v1 RuntimeClass: names a CRI handler (a DNS label, immutable) for pods to select.
import type { RuntimeClass } from 'kubernetes-types/node/v1';
import { FieldPath, invalidValue } from '../field-error';
import { runtimeClassPrinter } from '../printers/cluster-classes';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSLabel, nameIsDNSSubdomain } from '../validation/names';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';

function validateRuntimeClass(rc: RuntimeClass) {
  const errs = validateObjectMeta(rc.metadata, false, nameIsDNSSubdomain);
  for (const m of nameIsDNSLabel(rc.handler ?? '', false)) errs.push(invalidValue('handler', rc.handler ?? '', m));
  return errs;
}

export function runtimeClassResource(): ResourceDef {
  return defineResource({
    group: 'node.k8s.io', version: 'v1', kind: 'RuntimeClass', plural: 'runtimeclasses',
    namespaced: false, openapiName: 'io.k8s.api.node.v1.RuntimeClass',
    strategy: {
      validate: (o: KubeObject) => validateRuntimeClass(o as unknown as RuntimeClass),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateImmutableField((o as unknown as RuntimeClass).handler, (old as unknown as RuntimeClass).handler, FieldPath.root('handler')),
      ],
    },
    printer: runtimeClassPrinter,
  });
}
