// core/v1 ServiceAccount: metadata validation and the `kubectl get sa` printer.
import type { ServiceAccount } from 'kubernetes-types/core/v1';
import { FieldPath, invalidValue } from '../field-error';
import { serviceAccountPrinter } from '../printers/simple';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';

function validateServiceAccount(sa: ServiceAccount) {
  const errs = validateObjectMeta(sa.metadata, true, nameIsDNSSubdomain);
  (sa.imagePullSecrets ?? []).forEach((ref, i) => {
    for (const m of isDNS1123Subdomain(ref.name ?? '')) errs.push(invalidValue(FieldPath.root('imagePullSecrets').index(i).child('name'), ref.name ?? '', m));
  });
  return errs;
}

export function serviceAccountResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'],
    namespaced: true, openapiName: 'io.k8s.api.core.v1.ServiceAccount',
    subresources: { others: ['token'] },
    strategy: {
      validate: (o: KubeObject) => validateServiceAccount(o as ServiceAccount),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: serviceAccountPrinter,
  });
}
