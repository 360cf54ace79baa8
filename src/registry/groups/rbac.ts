// rbac.authorization.k8s.io/v1 resources (storage and validation; enforcement is the authorizer's).
import type { ResourceDef } from '../resource-types';
import { clusterRoleResource } from '../resources/clusterrole';
import { clusterRoleBindingResource } from '../resources/clusterrolebinding';
import { roleResource } from '../resources/role';
import { roleBindingResource } from '../resources/rolebinding';

export function rbacResources(): ResourceDef[] {
  return [clusterRoleBindingResource(), clusterRoleResource(), roleBindingResource(), roleResource()];
}
