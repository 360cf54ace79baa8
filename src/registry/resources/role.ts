// rbac.authorization.k8s.io/v1 Role: namespaced policy rules (no non-resource URLs).
import type { Role } from 'kubernetes-types/rbac/v1';
import { createdAtPrinter } from '../printers/rbac';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { rbacNameValidator, validatePolicyRules } from '../validation/rbac';

export function roleResource(): ResourceDef {
  return defineResource({
    group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles',
    namespaced: true, openapiName: 'io.k8s.api.rbac.v1.Role',
    strategy: {
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, true, rbacNameValidator),
        ...validatePolicyRules((o as Role).rules, true),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: createdAtPrinter,
  });
}
