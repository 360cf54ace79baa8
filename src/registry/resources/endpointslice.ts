// discovery.k8s.io/v1 EndpointSlice: port defaults (name "", protocol TCP), address validation by
// addressType, which may not change.
import type { EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { FieldPath } from '../field-error';
import { endpointSlicePrinter } from '../printers/endpointslice';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Writable } from '../resource-types';
import { validateEndpointSlice } from '../validation/discovery';
import { validateImmutableField, validateObjectMetaUpdate } from '../validation/object-meta';

export function defaultEndpointSlice(es: EndpointSlice): void {
  for (const p of es.ports ?? []) {
    const w = p as Writable<EndpointPort>;
    w.name ??= '';
    w.protocol ??= 'TCP';
  }
}

export function endpointSliceResource(): ResourceDef {
  return defineResource({
    group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices',
    namespaced: true, openapiName: 'io.k8s.api.discovery.v1.EndpointSlice', hasGeneration: true,
    strategy: {
      defaults: (o: KubeObject) => defaultEndpointSlice(o as unknown as EndpointSlice),
      validate: (o: KubeObject) => validateEndpointSlice(o as unknown as EndpointSlice),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateImmutableField((o as unknown as EndpointSlice).addressType, (old as unknown as EndpointSlice).addressType, FieldPath.root('addressType')),
      ],
    },
    printer: endpointSlicePrinter,
  });
}
