// rbac.authorization.k8s.io/v1 RoleBinding: a Role or ClusterRole granted to subjects in one
// namespace; roleRef never changes. Defaults fill in the RBAC API group as upstream does.
import type { RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1';
import { roleBindingPrinter } from '../printers/rbac';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Writable } from '../resource-types';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { rbacGroup, rbacNameValidator, validateRoleRef, validateRoleRefUnchanged, validateSubjects } from '../validation/rbac';

/** SetDefaults for bindings: roleRef.apiGroup and User/Group subjects' apiGroup are the RBAC group
 * (a ServiceAccount's stays empty, which the JSON omits). */
export function defaultBinding(b: { roleRef?: RoleRef; subjects?: Subject[] }): void {
  if (b.roleRef && !b.roleRef.apiGroup) (b.roleRef as Writable<RoleRef>).apiGroup = rbacGroup;
  for (const s of b.subjects ?? []) {
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) (s as Writable<Subject>).apiGroup = rbacGroup;
  }
}

export function roleBindingResource(): ResourceDef {
  return defineResource({
    group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings',
    namespaced: true, openapiName: 'io.k8s.api.rbac.v1.RoleBinding',
    strategy: {
      defaults: (o: KubeObject) => defaultBinding(o as unknown as RoleBinding),
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, true, rbacNameValidator),
        ...validateRoleRef((o as unknown as RoleBinding).roleRef, ['Role', 'ClusterRole']),
        ...validateSubjects((o as unknown as RoleBinding).subjects, true),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateRoleRefUnchanged((o as unknown as RoleBinding).roleRef, (old as unknown as RoleBinding).roleRef),
      ],
    },
    printer: roleBindingPrinter,
  });
}
