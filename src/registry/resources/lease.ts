// coordination.k8s.io/v1 Lease: used for leader election and node heartbeats.
import type { Lease } from 'kubernetes-types/coordination/v1';
import { FieldPath, invalidValue } from '../field-error';
import { leasePrinter } from '../printers/simple';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';

function validateLease(l: Lease) {
  const errs = validateObjectMeta(l.metadata, true, nameIsDNSSubdomain);
  const p = FieldPath.root('spec');
  const d = l.spec?.leaseDurationSeconds;
  if (d !== undefined && d <= 0) errs.push(invalidValue(p.child('leaseDurationSeconds'), d, 'must be greater than 0'));
  const t = l.spec?.leaseTransitions;
  if (t !== undefined && t < 0) errs.push(invalidValue(p.child('leaseTransitions'), t, 'must be greater than or equal to 0'));
  return errs;
}

export function leaseResource(): ResourceDef {
  return defineResource({
    group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases',
    namespaced: true, openapiName: 'io.k8s.api.coordination.v1.Lease',
    strategy: {
      validate: (o: KubeObject) => validateLease(o as Lease),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: leasePrinter,
  });
}
