// PersistentVolume and PersistentVolumeClaim validation (upstream ValidatePersistentVolumeSpec /
// ValidatePersistentVolumeClaimSpec / _Update): access modes, capacity and requested storage, class
// names, volume modes, reclaim policy, exactly one volume source, and claims' immutable spec.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, notSupported, required } from '../field-error';
import { parseQuantity, type Quantity } from '../quantity';
import { validateLabelSelector } from './label-selector';
import { isDNS1123Subdomain } from './names';
import { stableJSON } from './pod-update';

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const volumeModes = ['Block', 'Filesystem'];
const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];
/** Persistent volume sources in the order upstream checks them (the second found is the one reported). */
const pvSources = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte',
  'cinder', 'cephfs', 'iscsi', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume',
  'azureDisk', 'scaleIO', 'local', 'storageos', 'csi'];

function quantity(v: unknown): Quantity | undefined {
  try { return parseQuantity(v as string | number); } catch { return undefined; }
}

function validateAccessModes(modes: string[] | undefined, p: FieldPath, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!modes || modes.length === 0) errs.push(required(p, requiredDetail));
  let rwop = false;
  let other = false;
  for (const m of modes ?? []) {
    if (!accessModes.includes(m)) errs.push(notSupported(p, m, accessModes));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (accessModes.includes(m)) other = true;
  }
  if (rwop && other) errs.push(forbiddenField(p, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** A positive quantity: upstream's ValidatePositiveQuantityValue. */
function validatePositive(v: unknown, p: FieldPath): FieldError[] {
  const q = quantity(v);
  if (!q) return [];
  return q.negative || q.isZero() ? [invalidValue(p, q.toString(), 'must be greater than zero')] : [];
}

function validateClassName(name: string | undefined, p: FieldPath): FieldError[] {
  if (!name) return [];
  return isDNS1123Subdomain(name).map((m) => invalidValue(p, name, m));
}

export function validateClaimSpec(spec: PersistentVolumeClaimSpec | undefined, p: FieldPath): FieldError[] {
  const s = spec ?? {};
  const errs = validateAccessModes(s.accessModes, p.child('accessModes'), 'at least 1 access mode is required');
  if (s.selector) errs.push(...validateLabelSelector(s.selector, p.child('selector')));
  const sp = p.child('resources').key('storage');
  const storage = s.resources?.requests?.storage;
  if (storage === undefined) errs.push(required(sp));
  else errs.push(...validatePositive(storage, sp));
  errs.push(...validateClassName(s.storageClassName, p.child('storageClassName')));
  if (s.volumeMode !== undefined && !volumeModes.includes(s.volumeMode)) errs.push(notSupported(p.child('volumeMode'), s.volumeMode, volumeModes));
  return errs;
}

/** The claim's spec fields that differ, one `- old` / `+ new` pair per field (upstream prints a cmp.Diff). */
function specDiff(o: PersistentVolumeClaimSpec, n: PersistentVolumeClaimSpec): string {
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])].sort() as (keyof PersistentVolumeClaimSpec)[];
  const lines = ['  core.PersistentVolumeClaimSpec{'];
  for (const k of keys) {
    if (stableJSON(o[k] ?? null) === stableJSON(n[k] ?? null)) continue;
    lines.push(`- \t${k}: ${JSON.stringify(o[k] ?? null)},`, `+ \t${k}: ${JSON.stringify(n[k] ?? null)},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

export function validateClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs: FieldError[] = [];
  const n: PersistentVolumeClaimSpec = structuredClone(pvc.spec ?? {});
  const o: PersistentVolumeClaimSpec = structuredClone(old.spec ?? {});
  // The binder sets volumeName once; a class may be set on a claim that had none.
  if (!o.volumeName) o.volumeName = n.volumeName;
  if (o.storageClassName === undefined && n.storageClassName !== undefined && !old.spec?.volumeName) o.storageClassName = n.storageClassName;
  const bound = pvc.status?.phase === 'Bound';
  if (bound && n.resources?.requests) {
    const req = n.resources.requests;
    const oldStorage = o.resources?.requests?.storage;
    if (oldStorage === undefined) delete req.storage; else req.storage = oldStorage;
  }
  if (bound) o.volumeAttributesClassName = n.volumeAttributesClassName;
  if (stableJSON(n) !== stableJSON(o)) {
    errs.push(forbiddenField('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(o, n)}`));
  }
  const newSize = quantity(pvc.spec?.resources?.requests?.storage);
  const oldSize = quantity(old.spec?.resources?.requests?.storage);
  const statusSize = quantity(old.status?.capacity?.storage ?? '0');
  if (newSize && oldSize && statusSize && newSize.cmp(oldSize) < 0 && newSize.cmp(statusSize) <= 0) {
    errs.push(forbiddenField('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  return errs;
}

export function validatePersistentVolumeSpec(pv: PersistentVolume): FieldError[] {
  const p = FieldPath.root('spec');
  const s: PersistentVolumeSpec = pv.spec ?? {};
  const errs = validateAccessModes(s.accessModes, p.child('accessModes'), '');
  const capacity = s.capacity ?? {};
  const cp = p.child('capacity');
  if (Object.keys(capacity).length === 0) errs.push(required(cp));
  else if (capacity.storage === undefined || Object.keys(capacity).length > 1) {
    errs.push(notSupported(cp, capacity, ['storage']));
  }
  for (const [r, q] of Object.entries(capacity)) errs.push(...validatePositive(q, cp.key(r)));
  errs.push(...validateClassName(s.storageClassName, p.child('storageClassName')));
  if (s.volumeMode !== undefined && !volumeModes.includes(s.volumeMode)) errs.push(notSupported(p.child('volumeMode'), s.volumeMode, volumeModes));
  const policy = s.persistentVolumeReclaimPolicy;
  if (policy && !reclaimPolicies.includes(policy)) errs.push(notSupported(p.child('persistentVolumeReclaimPolicy'), policy, reclaimPolicies));
  const sources = pvSources.filter((k) => (s as Record<string, unknown>)[k] !== undefined);
  if (sources.length === 0) errs.push(required(p, 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(forbiddenField(p.child(extra), 'may not specify more than 1 volume type'));
  if (s.hostPath && !s.hostPath.path) errs.push(required(p.child('hostPath').child('path')));
  if (s.nfs) {
    if (!s.nfs.server) errs.push(required(p.child('nfs').child('server')));
    if (!s.nfs.path) errs.push(required(p.child('nfs').child('path')));
    else if (!s.nfs.path.startsWith('/')) errs.push(invalidValue(p.child('nfs').child('path'), s.nfs.path, 'must be an absolute path'));
  }
  if (s.local && !s.local.path) errs.push(required(p.child('local').child('path')));
  if (s.csi) {
    if (!s.csi.driver) errs.push(required(p.child('csi').child('driver')));
    if (!s.csi.volumeHandle) errs.push(required(p.child('csi').child('volumeHandle')));
  }
  if (s.local && !s.nodeAffinity) errs.push(required(p.child('nodeAffinity'), 'Local volume requires node affinity'));
  if (s.hostPath && s.hostPath.path.replace(/\/+$/, '') === '' && s.hostPath.path.startsWith('/') && policy === 'Recycle') {
    errs.push(forbiddenField(p.child('persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"));
  }
  return errs;
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs: FieldError[] = [];
  const source = (x: PersistentVolume) => Object.fromEntries(pvSources.map((k) => [k, (x.spec as Record<string, unknown> | undefined)?.[k]]));
  if (stableJSON(source(pv)) !== stableJSON(source(old))) {
    errs.push(forbiddenField('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  if ((pv.spec?.volumeMode ?? null) !== (old.spec?.volumeMode ?? null)) {
    errs.push(invalidValue('volumeMode', pv.spec?.volumeMode ?? null, 'field is immutable'));
  }
  return errs;
}
