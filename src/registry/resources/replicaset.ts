// apps/v1 ReplicaSet: defaults, selector/template validation, immutable selector, status and scale.
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { FieldPath } from '../field-error';
import { replicaSetPrinter } from '../printers/workloads';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validateNonNegative, validateSelectorAndTemplate, validateSelectorImmutable } from '../validation/workload';
import { defaultReplicaSet } from './workload-defaults';

export function validateReplicaSet(rs: ReplicaSet) {
  const errs = validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain);
  const p = FieldPath.root('spec');
  errs.push(...validateNonNegative(rs.spec?.replicas, p.child('replicas')));
  errs.push(...validateNonNegative(rs.spec?.minReadySeconds, p.child('minReadySeconds')));
  errs.push(...validateSelectorAndTemplate(rs.spec?.selector, rs.spec?.template, p));
  return errs;
}

export function replicaSetResource(): ResourceDef {
  return defineResource({
    group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'],
    namespaced: true, openapiName: 'io.k8s.api.apps.v1.ReplicaSet', hasGeneration: true,
    subresources: {
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
    },
    strategy: {
      defaults: (o: KubeObject) => defaultReplicaSet(o as ReplicaSet),
      prepareForCreate(o: KubeObject) { o.status = { replicas: 0 }; },
      validate: (o: KubeObject) => validateReplicaSet(o as ReplicaSet),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateSelectorImmutable((o as ReplicaSet).spec?.selector, (old as ReplicaSet).spec?.selector, FieldPath.root('spec').child('selector')),
      ],
      fieldAttributes: (o: KubeObject) => ({ 'status.replicas': String((o as ReplicaSet).status?.replicas ?? 0) }),
    },
    printer: replicaSetPrinter,
  });
}
