// storage.k8s.io/v1 CSIDriver: upstream's spec defaults (attach required, persistent volumes, fsGroup
// policy) and the fields that may not change.
import type { CSIDriverSpec, CSIDriver } from 'kubernetes-types/storage/v1';
import { csiDriverPrinter } from '../printers/storage';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Writable } from '../resource-types';
import { validateObjectMetaUpdate } from '../validation/object-meta';
import { validateCSIDriver, validateCSIDriverUpdate } from '../validation/storage';

export function defaultCSIDriver(d: CSIDriver): void {
  const s = ((d as Writable<CSIDriver>).spec ??= {}) as Writable<CSIDriverSpec>;
  s.attachRequired ??= true;
  s.podInfoOnMount ??= false;
  s.storageCapacity ??= false;
  s.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
  s.requiresRepublish ??= false;
  if (!s.volumeLifecycleModes || s.volumeLifecycleModes.length === 0) s.volumeLifecycleModes = ['Persistent'];
}

export function csiDriverResource(): ResourceDef {
  return defineResource({
    group: 'storage.k8s.io', version: 'v1', kind: 'CSIDriver', plural: 'csidrivers',
    namespaced: false, openapiName: 'io.k8s.api.storage.v1.CSIDriver',
    strategy: {
      defaults: (o: KubeObject) => defaultCSIDriver(o as unknown as CSIDriver),
      validate: (o: KubeObject) => validateCSIDriver(o as unknown as CSIDriver),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateCSIDriverUpdate(o as unknown as CSIDriver, old as unknown as CSIDriver),
      ],
    },
    printer: csiDriverPrinter,
  });
}
