// Validation of metadata common to every kind: names, namespace scope, labels, annotations,
// and the fields that may never change on update.
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, required, tooLong } from '../field-error';
import { isQualifiedName, isValidLabelValue, nameIsDNSLabel, type NameValidator } from './names';

const totalAnnotationSizeLimit = 256 * 1024;

export function validateLabels(labels: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalidValue(p, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(invalidValue(p, v, m));
  }
  return errs;
}

export function validateAnnotations(ann: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(ann ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(p, k, m));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (size > totalAnnotationSizeLimit) errs.push(tooLong(p, totalAnnotationSizeLimit));
  return errs;
}

export function validateImmutableField(newVal: unknown, oldVal: unknown, p: FieldPath): FieldError[] {
  return JSON.stringify(newVal) === JSON.stringify(oldVal) ? [] : [invalidValue(p, newVal, 'field is immutable')];
}

function validateFinalizers(fins: string[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const f of fins ?? []) {
    for (const m of isQualifiedName(f)) errs.push(invalidValue(p, f, m));
    if (seen.has(f)) errs.push(new FieldError('Duplicate', String(p), f));
    seen.add(f);
  }
  return errs;
}

/** Upstream's ValidateObjectMeta: name via `nameValidator`, namespace by scope, labels, annotations. */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameValidator: NameValidator,
  p: FieldPath = FieldPath.root('metadata')): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of nameValidator(m.generateName, true)) errs.push(invalidValue(p.child('generateName'), m.generateName, msg));
  }
  if (!m.name) {
    errs.push(required(p.child('name'), 'name or generateName is required'));
  } else {
    for (const msg of nameValidator(m.name, false)) errs.push(invalidValue(p.child('name'), m.name, msg));
  }
  if (namespaced) {
    if (!m.namespace) errs.push(required(p.child('namespace')));
    else for (const msg of nameIsDNSLabel(m.namespace, false)) errs.push(invalidValue(p.child('namespace'), m.namespace, msg));
  } else if (m.namespace) {
    errs.push(forbiddenField(p.child('namespace'), 'not allowed on this type'));
  }
  if (typeof m.generation === 'number' && m.generation < 0) {
    errs.push(invalidValue(p.child('generation'), m.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(m.labels, p.child('labels')));
  errs.push(...validateAnnotations(m.annotations, p.child('annotations')));
  errs.push(...validateFinalizers(m.finalizers, p.child('finalizers')));
  return errs;
}

/** Upstream's ValidateObjectMetaUpdate: identity fields are fixed once the object exists. */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined,
  p: FieldPath = FieldPath.root('metadata')): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if ((m.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(invalidValue(p.child('generation'), m.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutableField(m.name ?? '', o.name ?? '', p.child('name')));
  errs.push(...validateImmutableField(m.namespace ?? '', o.namespace ?? '', p.child('namespace')));
  errs.push(...validateImmutableField(m.uid ?? '', o.uid ?? '', p.child('uid')));
  errs.push(...validateImmutableField(m.creationTimestamp ?? '', o.creationTimestamp ?? '', p.child('creationTimestamp')));
  errs.push(...validateImmutableField(m.deletionTimestamp ?? null, o.deletionTimestamp ?? null, p.child('deletionTimestamp')));
  errs.push(...validateImmutableField(m.deletionGracePeriodSeconds ?? null, o.deletionGracePeriodSeconds ?? null,
    p.child('deletionGracePeriodSeconds')));
  if (o.deletionTimestamp) {
    const before = new Set(o.finalizers ?? []);
    for (const f of m.finalizers ?? []) {
      if (!before.has(f)) errs.push(forbiddenField(p.child('finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers []string{${JSON.stringify(f)}}`));
    }
  }
  errs.push(...validateLabels(m.labels, p.child('labels')));
  errs.push(...validateAnnotations(m.annotations, p.child('annotations')));
  errs.push(...validateFinalizers(m.finalizers, p.child('finalizers')));
  return errs;
}
