// apps/v1 ControllerRevision: the immutable snapshots StatefulSets and DaemonSets keep of their templates.
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import { FieldPath, required, type FieldError } from '../field-error';
import { controllerRevisionPrinter } from '../printers/workloads';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validateNonNegative } from '../validation/workload';

export function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs = validateObjectMeta(cr.metadata, true, nameIsDNSSubdomain);
  if (cr.data === undefined || cr.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...validateNonNegative(cr.revision, FieldPath.root('revision')));
  return errs;
}

export function controllerRevisionResource(): ResourceDef {
  return defineResource({
    group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions',
    namespaced: true, openapiName: 'io.k8s.api.apps.v1.ControllerRevision',
    strategy: {
      validate: (o: KubeObject) => validateControllerRevision(o as unknown as ControllerRevision),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateImmutableField(o.data, old.data, FieldPath.root('data')),
      ],
    },
    printer: controllerRevisionPrinter,
  });
}
