// `kubectl get` columns for RBAC: roles and clusterroles use upstream's default table (NAME, CREATED AT);
// bindings show ROLE and, with -o wide, USERS, GROUPS and SERVICEACCOUNTS from their subjects.
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

/** The generic table upstream serves for kinds without a printer: name and RFC 3339 creation time. */
export const createdAtPrinter: Printer = {
  columns: [nameColumn(), { ...col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.'), doc: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#creationTimestamp' }],
  row: (o: KubeObject) => [o.metadata?.name ?? '', o.metadata?.creationTimestamp ?? null],
};

/** Subjects split into users, groups and `namespace/name` service accounts, as rbac.SubjectsStrings. */
export function subjectsStrings(subjects: Subject[] | undefined): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return [users, groups, sas];
}

function bindingPrinter(what: string): Printer {
  return {
    columns: [
      nameColumn(),
      col('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.'),
      ageColumn(),
      col('Users', 'string', `Users in the ${what}`, 1),
      col('Groups', 'string', `Groups in the ${what}`, 1),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    row: (o) => {
      const b = o as unknown as RoleBinding | ClusterRoleBinding;
      const [users, groups, sas] = subjectsStrings(b.subjects);
      return [o.metadata?.name ?? '', `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, ageSince(o.metadata?.creationTimestamp),
        users.join(', '), groups.join(', '), sas.join(', ')];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
