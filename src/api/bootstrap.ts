// What exists in every cluster after start: the system namespaces, the `kubernetes` Service with its
// Endpoints and EndpointSlice, the `kube-dns` Service at its fixed ClusterIP, the default ClusterRoles and binding, the system
// PriorityClasses, the default IngressClass served by the built-in ingress controller (`kubets ingress`)
// and the default `local-path` StorageClass whose volumes every kubelet provisions on its own disk,
// written through the generic stores (when missing) so they get the usual defaults.
import { hostIPv4 } from '../host-address';
import type { Registry } from './registry';
import type { KubeObject } from '../registry/resource-types';
import { logger } from '../log';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapPriorityClasses } from './bootstrap-policy';
import { IS_DEFAULT_INGRESS_CLASS } from '../admission/default-ingress-class';
import { KUBETS_INGRESS_CLASS, KUBETS_INGRESS_CONTROLLER } from '../node/ingress/ingress-class';
import { ANN_IS_DEFAULT_STORAGE_CLASS, LOCAL_PATH_PROVISIONER, LOCAL_PATH_STORAGE_CLASS } from '../controllers/volume/volume-annotations';

async function ensure(reg: Registry, plural: string, ns: string | undefined, obj: KubeObject): Promise<void> {
  const [group, version] = obj.apiVersion?.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion ?? 'v1'];
  const store = reg.storeFor(group, version, plural);
  try {
    await store.getObject(ns, obj.metadata?.name ?? '');
    return;
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
  try {
    await store.create(ns, obj);
  } catch (e) {
    if ((e as { code?: number }).code !== 409) throw e;
  }
}

export async function bootstrap(reg: Registry, port: number, serviceIPs: { kubernetes: string; dns: string }): Promise<void> {
  const serviceIP = serviceIPs.kubernetes;
  const nodeAddress = hostIPv4();
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await ensure(reg, 'namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await ensure(reg, 'services', 'default', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: serviceIP, clusterIPs: [serviceIP], sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] },
  });
  await ensure(reg, 'endpoints', 'default', {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: nodeAddress }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  });
  // As upstream's endpoint reconciler: the Service has no selector, so the apiserver writes its
  // EndpointSlice too (proxies read slices; pods reach the apiserver through it).
  await ensure(reg, 'endpointslices', 'default', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4', endpoints: [{ addresses: [nodeAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  } as KubeObject);
  for (const cr of bootstrapClusterRoles) await ensure(reg, 'clusterroles', undefined, structuredClone(cr) as unknown as KubeObject);
  for (const crb of bootstrapClusterRoleBindings) await ensure(reg, 'clusterrolebindings', undefined, structuredClone(crb) as unknown as KubeObject);
  for (const pc of bootstrapPriorityClasses) await ensure(reg, 'priorityclasses', undefined, structuredClone(pc) as unknown as KubeObject);
  try {
    await ensure(reg, 'services', 'kube-system', kubeDnsService(serviceIPs.dns));
  } catch (e) {
    // A Service created before this bootstrap existed may hold the address; the cluster still works without DNS.
    logger.warn({ err: e, clusterIP: serviceIPs.dns }, 'could not create the kube-dns Service');
  }
  await ensure(reg, 'ingressclasses', undefined, {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name: KUBETS_INGRESS_CLASS, annotations: { [IS_DEFAULT_INGRESS_CLASS]: 'true' } },
    spec: { controller: KUBETS_INGRESS_CONTROLLER },
  });
  // As rancher's local-path class: a directory on the node the first consumer is scheduled to.
  await ensure(reg, 'storageclasses', undefined, {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_STORAGE_CLASS, annotations: { [ANN_IS_DEFAULT_STORAGE_CLASS]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
  } as KubeObject);
  logger.info('bootstrap objects present');
}

/**
 * The cluster DNS Service, named and labelled as kubeadm names CoreDNS's. It has no selector: `kubets dns`
 * runs as a node process rather than a pod, so its endpoints are not derived from pods.
 */
export function kubeDnsService(clusterIP: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: {
      name: 'kube-dns', namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    },
    spec: {
      type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], sessionAffinity: 'None',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
}
