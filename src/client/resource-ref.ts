// Names one API resource for a client (group, version, plural, scope) and builds its REST paths.
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export function resourcePath(r: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

const ref = (group: string, version: string, plural: string, namespaced = true): ResourceRef => ({ group, version, plural, namespaced });

/** The built-in resources the control plane and node components read and write. */
export const resources = {
  pods: ref('', 'v1', 'pods'),
  nodes: ref('', 'v1', 'nodes', false),
  namespaces: ref('', 'v1', 'namespaces', false),
  services: ref('', 'v1', 'services'),
  endpoints: ref('', 'v1', 'endpoints'),
  events: ref('', 'v1', 'events'),
  configmaps: ref('', 'v1', 'configmaps'),
  secrets: ref('', 'v1', 'secrets'),
  serviceaccounts: ref('', 'v1', 'serviceaccounts'),
  persistentvolumes: ref('', 'v1', 'persistentvolumes', false),
  persistentvolumeclaims: ref('', 'v1', 'persistentvolumeclaims'),
  replicationcontrollers: ref('', 'v1', 'replicationcontrollers'),
  resourcequotas: ref('', 'v1', 'resourcequotas'),
  deployments: ref('apps', 'v1', 'deployments'),
  replicasets: ref('apps', 'v1', 'replicasets'),
  statefulsets: ref('apps', 'v1', 'statefulsets'),
  daemonsets: ref('apps', 'v1', 'daemonsets'),
  controllerrevisions: ref('apps', 'v1', 'controllerrevisions'),
  jobs: ref('batch', 'v1', 'jobs'),
  cronjobs: ref('batch', 'v1', 'cronjobs'),
  endpointslices: ref('discovery.k8s.io', 'v1', 'endpointslices'),
  leases: ref('coordination.k8s.io', 'v1', 'leases'),
  ingresses: ref('networking.k8s.io', 'v1', 'ingresses'),
  ingressclasses: ref('networking.k8s.io', 'v1', 'ingressclasses', false),
  networkpolicies: ref('networking.k8s.io', 'v1', 'networkpolicies'),
  poddisruptionbudgets: ref('policy', 'v1', 'poddisruptionbudgets'),
  priorityclasses: ref('scheduling.k8s.io', 'v1', 'priorityclasses', false),
  storageclasses: ref('storage.k8s.io', 'v1', 'storageclasses', false),
} as const;
