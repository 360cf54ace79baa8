// StorageObjectInUseProtection: every new PersistentVolumeClaim and PersistentVolume carries the finalizer
// that keeps it while in use (the pvc-protection and pv-protection controllers remove it when free).
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../controllers/volume/volume-annotations';
import type { AdmissionPlugin } from './admission';

export const storageObjectInUseProtection: AdmissionPlugin = {
  name: 'StorageObjectInUseProtection',
  mutate(a) {
    if (a.operation !== 'CREATE' || a.subresource || a.def.group !== '' || !a.object) return;
    const finalizer = a.def.plural === 'persistentvolumeclaims' ? PVC_PROTECTION_FINALIZER
      : a.def.plural === 'persistentvolumes' ? PV_PROTECTION_FINALIZER : undefined;
    if (!finalizer) return;
    const meta = (a.object.metadata ??= {}) as { finalizers?: string[] };
    if (!meta.finalizers?.includes(finalizer)) meta.finalizers = [...(meta.finalizers ?? []), finalizer];
  },
};
