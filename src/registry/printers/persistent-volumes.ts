// `kubectl get persistentvolumes` and `kubectl get persistentvolumeclaims` columns: capacity, access
// modes as RWO/ROX/RWX/RWOP, reclaim policy, phase, claim, class, volume attributes class, volume mode.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../quantity';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** upstream's GetAccessModesAsString: a fixed order, duplicates once. */
export function accessModesString(modes: string[] | undefined): string {
  const has = (m: string) => (modes ?? []).includes(m);
  return [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']]
    .filter(([m]) => has(m)).map(([, s]) => s).join(',');
}

/** A quantity as Quantity.String() prints it; an absent one is the zero quantity, "0". */
function quantityCell(v: string | undefined): string {
  if (v === undefined) return '0';
  try { return parseQuantity(v).toString(); } catch { return v; }
}

function storageClass(o: PersistentVolume | PersistentVolumeClaim): string {
  return o.metadata?.annotations?.[betaClassAnnotation] ?? o.spec?.storageClassName ?? '';
}

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity'),
    col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes'),
    col('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming'),
    col('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase'),
    col('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn(),
    col('VolumeMode', 'string', 'Volume mode of the pv', 1),
  ],
  row(obj: KubeObject): unknown[] {
    const pv = obj as PersistentVolume;
    const ref = pv.spec?.claimRef;
    const phase = pv.metadata?.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '';
    return [
      pv.metadata?.name ?? '', quantityCell(pv.spec?.capacity?.storage), accessModesString(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '', phase, ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '', storageClass(pv),
      pv.spec?.volumeAttributesClassName ?? '<unset>', pv.status?.reason ?? '', ageSince(pv.metadata?.creationTimestamp),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1'),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    col('VolumeMode', 'string', 'Volume mode of the pvc', 1),
  ],
  row(obj: KubeObject): unknown[] {
    const pvc = obj as PersistentVolumeClaim;
    const phase = pvc.metadata?.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '';
    const bound = !!pvc.spec?.volumeName;
    return [
      pvc.metadata?.name ?? '', phase, pvc.spec?.volumeName ?? '', bound ? quantityCell(pvc.status?.capacity?.storage) : '',
      bound ? accessModesString(pvc.status?.accessModes) : '', storageClass(pvc), pvc.spec?.volumeAttributesClassName ?? '<unset>',
      ageSince(pvc.metadata?.creationTimestamp), pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};
