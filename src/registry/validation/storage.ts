// storage.k8s.io/v1 validation: StorageClass (provisioner, parameters, reclaim policy, binding mode,
// what may not change), CSIDriver, CSINode and VolumeAttachment, with upstream's wording.
import type { CSIDriver, CSINode, StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1';
import { FieldError, FieldPath, duplicate, forbiddenField, invalidValue, notSupported, required, tooLong } from '../field-error';
import { isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain } from './names';
import { validateImmutableField, validateObjectMeta } from './object-meta';

export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs = validateObjectMeta(sc.metadata, false, nameIsDNSSubdomain);
  const prov = sc.provisioner ?? '';
  if (!prov) errs.push(required('provisioner'));
  else for (const m of isQualifiedName(prov.toLowerCase())) errs.push(invalidValue('provisioner', prov, m));
  const params = sc.parameters ?? {};
  if (Object.keys(params).length > 512) errs.push(tooLong('parameters', 512));
  for (const k of Object.keys(params)) if (k.length < 1) errs.push(invalidValue('parameters', k, 'field can not be empty.'));
  if (sc.reclaimPolicy && !['Delete', 'Retain'].includes(sc.reclaimPolicy)) errs.push(notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  const mode = sc.volumeBindingMode;
  if (mode === undefined) errs.push(required('volumeBindingMode'));
  else if (!['Immediate', 'WaitForFirstConsumer'].includes(mode)) errs.push(notSupported('volumeBindingMode', mode, ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}

export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (JSON.stringify(sc.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) errs.push(forbiddenField('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(forbiddenField('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(forbiddenField('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutableField(sc.volumeBindingMode, old.volumeBindingMode, FieldPath.root('volumeBindingMode')));
  return errs;
}

function validateCSIDriverName(name: string, p: FieldPath | string): FieldError[] {
  if (!name) return [required(p)];
  const errs: FieldError[] = [];
  if (name.length > 63) errs.push(tooLong(p, 63));
  for (const m of isDNS1123Subdomain(name.toLowerCase())) errs.push(invalidValue(p, name, m));
  return errs;
}

const fsGroupPolicies = ['File', 'None', 'ReadWriteOnceWithFSType'];

export function validateCSIDriver(d: CSIDriver): FieldError[] {
  const errs = validateObjectMeta(d.metadata, false, nameIsDNSSubdomain);
  errs.push(...validateCSIDriverName(d.metadata?.name ?? '', 'name'));
  const p = FieldPath.root('spec');
  const s = d.spec ?? {};
  if (s.attachRequired === undefined) errs.push(required(p.child('attachedRequired')));
  if (s.podInfoOnMount === undefined) errs.push(required(p.child('podInfoOnMount')));
  if (s.storageCapacity === undefined) errs.push(required(p.child('storageCapacity')));
  if (s.requiresRepublish === undefined) errs.push(required(p.child('requiresRepublish')));
  if (s.fsGroupPolicy === undefined) errs.push(required(p.child('fsGroupPolicy')));
  else if (!fsGroupPolicies.includes(s.fsGroupPolicy)) errs.push(notSupported(p.child('fsGroupPolicy'), s.fsGroupPolicy, fsGroupPolicies));
  (s.volumeLifecycleModes ?? []).forEach((m) => {
    if (m !== 'Persistent' && m !== 'Ephemeral') errs.push(notSupported(p.child('volumeLifecycleModes'), m, ['Ephemeral', 'Persistent']));
  });
  const audiences = new Set<string>();
  (s.tokenRequests ?? []).forEach((t, i) => {
    const a = t.audience ?? '';
    if (audiences.has(a)) errs.push(duplicate(p.child('tokenRequests').index(i).child('audience'), a));
    audiences.add(a);
    if (t.expirationSeconds !== undefined && t.expirationSeconds < 600) {
      errs.push(invalidValue(p.child('tokenRequests').index(i).child('expirationSeconds'), t.expirationSeconds, 'may not specify a duration less than 10 minutes'));
    }
  });
  return errs;
}

export function validateCSIDriverUpdate(d: CSIDriver, old: CSIDriver): FieldError[] {
  const p = FieldPath.root('spec');
  return [
    ...validateImmutableField(d.spec?.attachRequired, old.spec?.attachRequired, p.child('attachRequired')),
    ...validateImmutableField(d.spec?.fsGroupPolicy, old.spec?.fsGroupPolicy, p.child('fsGroupPolicy')),
    ...validateImmutableField(d.spec?.volumeLifecycleModes, old.spec?.volumeLifecycleModes, p.child('volumeLifecycleModes')),
  ];
}

export function validateCSINode(n: CSINode): FieldError[] {
  const errs = validateObjectMeta(n.metadata, false, nameIsDNSSubdomain);
  const names = new Set<string>();
  (n.spec?.drivers ?? []).forEach((d, i) => {
    const p = FieldPath.root('spec').child('drivers').index(i);
    errs.push(...validateCSIDriverName(d.name ?? '', p.child('name')));
    if (!d.nodeID) errs.push(required(p.child('nodeID'), 'nodeID of the driver must not be empty'));
    else if (d.nodeID.length > 192) errs.push(invalidValue(p.child('nodeID'), d.nodeID, 'must be 192 characters or less'));
    (d.topologyKeys ?? []).forEach((k, j) => {
      if (!k) errs.push(required(p.child('topologyKeys'), k));
      for (const m of isQualifiedName(k)) errs.push(invalidValue(p.child('topologyKeys').index(j), k, m));
    });
    const count = d.allocatable?.count;
    if (count !== undefined && count < 0) errs.push(invalidValue(p.child('allocatable').child('count'), count, 'must be greater than or equal to 0'));
    if (names.has(d.name)) errs.push(duplicate(p.child('name'), d.name));
    names.add(d.name);
  });
  return errs;
}

export function validateVolumeAttachment(va: VolumeAttachment): FieldError[] {
  const errs = validateObjectMeta(va.metadata, false, nameIsDNSSubdomain);
  const p = FieldPath.root('spec');
  const s = va.spec ?? { attacher: '', nodeName: '', source: {} };
  if (!s.attacher) errs.push(required(p.child('attacher')));
  const src = s.source ?? {};
  const sp = p.child('source');
  if (src.inlineVolumeSpec === undefined && src.persistentVolumeName === undefined) {
    errs.push(required(sp, 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
  } else if (src.inlineVolumeSpec !== undefined && src.persistentVolumeName !== undefined) {
    errs.push(forbiddenField(sp, 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
  } else if (src.persistentVolumeName !== undefined && src.persistentVolumeName.length === 0) {
    errs.push(required(sp.child('persistentVolumeName'), 'must specify non empty persistentVolumeName'));
  }
  for (const m of nameIsDNSSubdomain(s.nodeName ?? '', false)) errs.push(invalidValue(p.child('nodeName'), s.nodeName ?? '', m));
  return errs;
}
