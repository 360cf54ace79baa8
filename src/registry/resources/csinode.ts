// storage.k8s.io/v1 CSINode: the CSI drivers registered on a node (written by the kubelet).
import type { CSINode } from 'kubernetes-types/storage/v1';
import { csiNodePrinter } from '../printers/storage';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateObjectMetaUpdate } from '../validation/object-meta';
import { validateCSINode } from '../validation/storage';

export function csiNodeResource(): ResourceDef {
  return defineResource({
    group: 'storage.k8s.io', version: 'v1', kind: 'CSINode', plural: 'csinodes',
    namespaced: false, openapiName: 'io.k8s.api.storage.v1.CSINode',
    strategy: {
      validate: (o: KubeObject) => validateCSINode(o as unknown as CSINode),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: csiNodePrinter,
  });
}
