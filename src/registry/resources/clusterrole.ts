// rbac.authorization.k8s.io/v1 ClusterRole: cluster-wide policy rules, optionally aggregated from
// other ClusterRoles by label selector.
import type { ClusterRole } from 'kubernetes-types/rbac/v1';
import { createdAtPrinter } from '../printers/rbac';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { rbacNameValidator, validateAggregationRule, validatePolicyRules } from '../validation/rbac';

export function clusterRoleResource(): ResourceDef {
  return defineResource({
    group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles',
    namespaced: false, openapiName: 'io.k8s.api.rbac.v1.ClusterRole',
    strategy: {
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, false, rbacNameValidator),
        ...validatePolicyRules((o as ClusterRole).rules, false),
        ...validateAggregationRule((o as ClusterRole).aggregationRule),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: createdAtPrinter,
  });
}
