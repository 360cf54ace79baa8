// The cluster-wide objects every cluster starts with besides namespaces: the default user-facing
// ClusterRoles (cluster-admin, admin, edit, view), the cluster-admin binding for system:masters,
// and the two system PriorityClasses. admin/edit/view carry upstream's aggregation rules; their rules
// here are the core of what upstream aggregates into them.
import type { ClusterRole, ClusterRoleBinding, PolicyRule } from 'kubernetes-types/rbac/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { systemPriorityClasses } from '../registry/validation/scheduling';

const rbacGroup = 'rbac.authorization.k8s.io';
const bootstrapMeta = (name: string, labels: Record<string, string> = {}) => ({
  name,
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
});

const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({ apiGroups, resources, verbs });

const viewRules: PolicyRule[] = [
  rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers',
    'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], read),
  rule([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status',
    'resourcequotas', 'resourcequotas/status'], read),
  rule([''], ['namespaces'], read),
  rule(['discovery.k8s.io'], ['endpointslices'], read),
  rule(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
    'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], read),
  rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], read),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], read),
  rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], read),
  rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], read),
];

const editRules: PolicyRule[] = [
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], read),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], write),
  rule([''], ['pods/eviction'], ['create']),
  rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets',
    'serviceaccounts', 'services', 'services/proxy'], write),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale',
    'statefulsets', 'statefulsets/scale'], write),
  rule(['autoscaling'], ['horizontalpodautoscalers'], write),
  rule(['batch'], ['cronjobs', 'jobs'], write),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], write),
  rule(['policy'], ['poddisruptionbudgets'], write),
  rule(['discovery.k8s.io'], ['endpointslices'], write),
  ...viewRules,
];

const adminRules: PolicyRule[] = [
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  rule([rbacGroup], ['rolebindings', 'roles'], [...write, 'get', 'list', 'watch']),
  ...editRules,
];

function aggregated(name: string, rules: PolicyRule[], labels: Record<string, string>): ClusterRole {
  return {
    apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRole', metadata: bootstrapMeta(name, labels),
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${rbacGroup}/aggregate-to-${name}`]: 'true' } }] },
    rules,
  };
}

export const bootstrapClusterRoles: ClusterRole[] = [
  {
    apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRole', metadata: bootstrapMeta('cluster-admin'),
    rules: [rule(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }],
  },
  aggregated('admin', adminRules, {}),
  aggregated('edit', editRules, { [`${rbacGroup}/aggregate-to-admin`]: 'true' }),
  aggregated('view', viewRules, { [`${rbacGroup}/aggregate-to-edit`]: 'true' }),
];

export const bootstrapClusterRoleBindings: ClusterRoleBinding[] = [{
  apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRoleBinding', metadata: bootstrapMeta('cluster-admin'),
  roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ apiGroup: rbacGroup, kind: 'Group', name: 'system:masters' }],
}];

export const bootstrapPriorityClasses: PriorityClass[] = systemPriorityClasses.map((s) => ({
  apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: s.name }, value: s.value, description: s.description,
}));
