// core/v1 PersistentVolume (cluster-scoped): defaults (Retain, Filesystem, Pending with its transition
// time), exactly-one-source validation, an immutable source, and status.
import type { PersistentVolume } from 'kubernetes-types/core/v1';
import { nowTimestamp } from '../object-meta';
import { persistentVolumePrinter } from '../printers/persistent-volumes';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validatePersistentVolumeSpec, validatePersistentVolumeUpdate } from '../validation/persistent-volume';
import { defaultPersistentVolume } from './volume-claim-defaults';

export function persistentVolumeResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', shortNames: ['pv'],
    namespaced: false, openapiName: 'io.k8s.api.core.v1.PersistentVolume',
    subresources: { status: true },
    strategy: {
      defaults: (o: KubeObject) => defaultPersistentVolume(o as PersistentVolume),
      prepareForCreate(o: KubeObject) { o.status = { phase: 'Pending', lastPhaseTransitionTime: nowTimestamp() }; },
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, false, nameIsDNSSubdomain),
        ...validatePersistentVolumeSpec(o as PersistentVolume),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validatePersistentVolumeUpdate(o as PersistentVolume, old as PersistentVolume),
      ],
    },
    printer: persistentVolumePrinter,
  });
}
