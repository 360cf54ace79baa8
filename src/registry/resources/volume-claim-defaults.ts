// Defaults for PersistentVolumeClaims and PersistentVolumes (SetDefaults_PersistentVolumeClaim / _Spec /
// _PersistentVolume), shared by the claim kind and StatefulSet volumeClaimTemplates.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec } from 'kubernetes-types/core/v1';
import type { Writable } from '../resource-types';
import { canonicalizeResourceList } from './object-helpers';

export function defaultClaimSpec(spec: PersistentVolumeClaimSpec | undefined, kind: string, version: string): void {
  if (!spec) return;
  spec.volumeMode ??= 'Filesystem';
  canonicalizeResourceList(spec.resources?.requests, kind, version);
  canonicalizeResourceList(spec.resources?.limits, kind, version);
}

/** A claim's defaults; `kind`/`version` name the enclosing object in decode errors. */
export function defaultClaim(pvc: Writable<PersistentVolumeClaim>, kind = 'PersistentVolumeClaim', version = 'v1'): void {
  defaultClaimSpec(pvc.spec, kind, version);
  const status = (pvc.status ??= {}) as Writable<NonNullable<PersistentVolumeClaim['status']>>;
  status.phase ??= 'Pending';
  canonicalizeResourceList(status.capacity, kind, version);
}

export function defaultPersistentVolume(pv: Writable<PersistentVolume>): void {
  const spec = pv.spec;
  if (spec) {
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
    if (spec.hostPath) spec.hostPath.type ??= '';
    canonicalizeResourceList(spec.capacity, 'PersistentVolume', 'v1');
  }
  const status = (pv.status ??= {}) as Writable<NonNullable<PersistentVolume['status']>>;
  status.phase ??= 'Pending';
}
