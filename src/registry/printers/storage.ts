// `kubectl get` columns for storage.k8s.io: storageclasses (with `(default)`), csidrivers, csinodes,
// volumeattachments, with upstream's fallbacks for unset fields.
import type { CSIDriver, CSINode, StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

const age = (o: KubeObject) => ageSince(o.metadata?.creationTimestamp);
const name = (o: KubeObject) => o.metadata?.name ?? '';

/** The annotations that make a StorageClass the default (the beta one is still honoured upstream). */
export function isDefaultStorageClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
    col('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.'),
    col('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn(),
  ],
  row: (o) => {
    const sc = o as unknown as StorageClass;
    return [isDefaultStorageClass(sc) ? `${name(o)} (default)` : name(o), sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion ?? false, age(o)];
  },
};

export const csiDriverPrinter: Printer = {
  columns: [
    nameColumn(),
    col('AttachRequired', 'boolean', 'attachRequired indicates this CSI volume driver requires an attach operation.'),
    col('PodInfoOnMount', 'boolean', 'podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations.'),
    col('StorageCapacity', 'boolean', 'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report.'),
    col('TokenRequests', 'string', 'tokenRequests indicates the CSI driver needs pods\' service account tokens it is mounting volume for to do necessary authentication.'),
    col('RequiresRepublish', 'boolean', 'requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume.'),
    col('Modes', 'string', 'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.'),
    ageColumn(),
  ],
  row: (o) => {
    const s = (o as unknown as CSIDriver).spec;
    const modes = (s?.volumeLifecycleModes ?? []).join(',');
    const tokens = s?.tokenRequests ? s.tokenRequests.map((t) => t.audience).join(',') : '<unset>';
    return [name(o), s?.attachRequired ?? true, s?.podInfoOnMount ?? false, s?.storageCapacity ?? false, tokens,
      s?.requiresRepublish ?? false, modes || '<none>', age(o)];
  },
};

export const csiNodePrinter: Printer = {
  columns: [nameColumn(), col('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), ageColumn()],
  row: (o) => [name(o), ((o as unknown as CSINode).spec?.drivers ?? []).length, age(o)],
};

export const volumeAttachmentPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Attacher', 'string', 'attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName().', 0, 'name'),
    col('PV', 'string', 'persistentVolumeName represents the name of the persistent volume to attach.'),
    col('Node', 'string', 'nodeName represents the node that the volume should be attached to.'),
    col('Attached', 'boolean', 'attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.'),
    ageColumn(),
  ],
  row: (o) => {
    const va = o as unknown as VolumeAttachment;
    return [name(o), va.spec?.attacher ?? '', va.spec?.source?.persistentVolumeName ?? '', va.spec?.nodeName ?? '',
      va.status?.attached ?? false, age(o)];
  },
};
