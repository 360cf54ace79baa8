// rbac.authorization.k8s.io/v1 ClusterRoleBinding: a ClusterRole granted cluster-wide; roleRef never
// changes, service-account subjects name their namespace.
import type { ClusterRoleBinding } from 'kubernetes-types/rbac/v1';
import { clusterRoleBindingPrinter } from '../printers/rbac';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { rbacNameValidator, validateRoleRef, validateRoleRefUnchanged, validateSubjects } from '../validation/rbac';
import { defaultBinding } from './rolebinding';

export function clusterRoleBindingResource(): ResourceDef {
  return defineResource({
    group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings',
    namespaced: false, openapiName: 'io.k8s.api.rbac.v1.ClusterRoleBinding',
    strategy: {
      defaults: (o: KubeObject) => defaultBinding(o as unknown as ClusterRoleBinding),
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, false, rbacNameValidator),
        ...validateRoleRef((o as unknown as ClusterRoleBinding).roleRef, ['ClusterRole']),
        ...validateSubjects((o as unknown as ClusterRoleBinding).subjects, false),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateRoleRefUnchanged((o as unknown as ClusterRoleBinding).roleRef, (old as unknown as ClusterRoleBinding).roleRef),
      ],
    },
    printer: clusterRoleBindingPrinter,
  });
}
