// storage.k8s.io/v1 StorageClass: cluster-scoped; reclaimPolicy Delete and volumeBindingMode Immediate
// by default; provisioner, parameters and reclaim policy fixed once created.
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { storageClassPrinter } from '../printers/storage';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Writable } from '../resource-types';
import { validateObjectMetaUpdate } from '../validation/object-meta';
import { validateStorageClass, validateStorageClassUpdate } from '../validation/storage';

export function storageClassResource(): ResourceDef {
  return defineResource({
    group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', shortNames: ['sc'],
    namespaced: false, openapiName: 'io.k8s.api.storage.v1.StorageClass',
    strategy: {
      defaults(o: KubeObject) {
        const sc = o as Writable<StorageClass>;
        sc.reclaimPolicy ??= 'Delete';
        sc.volumeBindingMode ??= 'Immediate';
      },
      validate: (o: KubeObject) => validateStorageClass(o as unknown as StorageClass),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateStorageClassUpdate(o as unknown as StorageClass, old as unknown as StorageClass),
      ],
    },
    printer: storageClassPrinter,
  });
}
