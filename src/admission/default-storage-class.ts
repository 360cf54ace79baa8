// DefaultStorageClass: a new PersistentVolumeClaim that names no class (storageClassName unset, no beta
// annotation; "" means "no class" and stays) gets the default StorageClass, the newest when several claim it.
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { ANN_BETA_STORAGE_CLASS, ANN_IS_DEFAULT_STORAGE_CLASS } from '../controllers/volume/volume-annotations';
import type { AdmissionPlugin } from './admission';

const BETA_IS_DEFAULT = 'storageclass.beta.kubernetes.io/is-default-class';

export function defaultStorageClass(classes: StorageClass[]): StorageClass | undefined {
  const isDefault = (c: StorageClass) => c.metadata?.annotations?.[ANN_IS_DEFAULT_STORAGE_CLASS] === 'true'
    || c.metadata?.annotations?.[BETA_IS_DEFAULT] === 'true';
  return classes.filter(isDefault).sort((a, b) => {
    const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    if (ta !== tb) return tb - ta;
    return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
  })[0];
}

export function defaultStorageClassAdmission(listClasses: () => Promise<StorageClass[]>): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    async mutate(a) {
      if (a.operation !== 'CREATE' || a.subresource || a.def.group !== '' || a.def.plural !== 'persistentvolumeclaims') return;
      const pvc = a.object as PersistentVolumeClaim | undefined;
      if (!pvc?.spec || pvc.spec.storageClassName != null) return;
      if (pvc.metadata?.annotations && ANN_BETA_STORAGE_CLASS in pvc.metadata.annotations) return;
      const cls = defaultStorageClass(await listClasses());
      if (!cls?.metadata?.name) return;
      (pvc as { spec: NonNullable<PersistentVolumeClaim['spec']> }).spec = { ...pvc.spec, storageClassName: cls.metadata.name };
    },
  };
}
