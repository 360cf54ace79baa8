// core/v1 ReplicationController: selector and labels defaulted from the template, validation, status,
// scale, the status.replicas field selector; stored under /registry/controllers as upstream keys it.
import type { ReplicationController } from 'kubernetes-types/core/v1';
import { replicationControllerPrinter } from '../printers/workloads';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validateReplicationControllerSpec } from '../validation/replication-controller';
import { defaultReplicationController } from './workload-defaults';

export function replicationControllerResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', shortNames: ['rc'], categories: ['all'],
    namespaced: true, openapiName: 'io.k8s.api.core.v1.ReplicationController', hasGeneration: true, storagePrefix: 'controllers',
    subresources: {
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
    },
    strategy: {
      defaults: (o: KubeObject) => defaultReplicationController(o as ReplicationController),
      prepareForCreate(o: KubeObject) { o.status = { replicas: 0 }; },
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain),
        ...validateReplicationControllerSpec(o as ReplicationController),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
      fieldAttributes: (o: KubeObject) => ({ 'status.replicas': String((o as ReplicationController).status?.replicas ?? 0) }),
    },
    printer: replicationControllerPrinter,
  });
}
