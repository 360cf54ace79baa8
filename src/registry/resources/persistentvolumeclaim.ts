// core/v1 PersistentVolumeClaim: defaults (Filesystem, Pending), validation of access modes and the
// requested storage, a spec immutable after creation but for storage growth once bound, and status.
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { FieldPath } from '../field-error';
import { persistentVolumeClaimPrinter } from '../printers/persistent-volumes';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validateClaimSpec, validateClaimUpdate } from '../validation/persistent-volume';
import { defaultClaim } from './volume-claim-defaults';

export function persistentVolumeClaimResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', shortNames: ['pvc'],
    namespaced: true, openapiName: 'io.k8s.api.core.v1.PersistentVolumeClaim',
    subresources: { status: true },
    strategy: {
      defaults: (o: KubeObject) => defaultClaim(o as PersistentVolumeClaim),
      prepareForCreate(o: KubeObject) { o.status = { phase: 'Pending' }; },
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain),
        ...validateClaimSpec((o as PersistentVolumeClaim).spec, FieldPath.root('spec')),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateClaimUpdate(o as PersistentVolumeClaim, old as PersistentVolumeClaim),
      ],
    },
    printer: persistentVolumeClaimPrinter,
  });
}
