// Hand-kept facts about upstream list and struct semantics that kubernetes-types does not carry:
// strategic-merge-patch keys/strategies and server-side-apply list/map types, per definition field.

export interface ListFacts {
  /** x-kubernetes-patch-merge-key */
  mergeKey?: string;
  /** x-kubernetes-patch-strategy: "merge", "replace" or "merge,retainKeys" */
  strategy?: string;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
}

const core = 'io.k8s.api.core.v1';
const apps = 'io.k8s.api.apps.v1';
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const keyed = (mergeKey: string, keys: string[] = [mergeKey], strategy = 'merge'): ListFacts =>
  ({ mergeKey, strategy, listType: 'map', listMapKeys: keys });
const atomic: ListFacts = { listType: 'atomic' };
const conditions = keyed('type');

const containerLists: Record<string, ListFacts> = {
  ports: keyed('containerPort', ['containerPort', 'protocol']),
  env: keyed('name'),
  volumeMounts: keyed('mountPath'),
  volumeDevices: keyed('devicePath'),
  envFrom: atomic,
  args: atomic,
  command: atomic,
  resizePolicy: atomic,
};

export const patchStrategies: Record<string, Record<string, ListFacts>> = {
  [`${meta}.ObjectMeta`]: {
    ownerReferences: keyed('uid'),
    finalizers: { strategy: 'merge', listType: 'set' },
    managedFields: atomic,
  },
  [`${meta}.LabelSelector`]: { matchExpressions: atomic },
  [`${meta}.LabelSelectorRequirement`]: { values: atomic },

  [`${core}.PodSpec`]: {
    containers: keyed('name'),
    initContainers: keyed('name'),
    ephemeralContainers: keyed('name'),
    volumes: keyed('name', ['name'], 'merge,retainKeys'),
    imagePullSecrets: keyed('name'),
    hostAliases: keyed('ip'),
    resourceClaims: keyed('name', ['name'], 'merge,retainKeys'),
    schedulingGates: keyed('name'),
    topologySpreadConstraints: keyed('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
    tolerations: atomic,
    readinessGates: atomic,
  },
  [`${core}.Container`]: containerLists,
  [`${core}.EphemeralContainer`]: containerLists,
  [`${core}.PodStatus`]: {
    conditions,
    podIPs: keyed('ip'),
    hostIPs: { mergeKey: 'ip', strategy: 'merge', listType: 'atomic' },
    containerStatuses: atomic,
    initContainerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    resourceClaimStatuses: keyed('name', ['name'], 'merge,retainKeys'),
  },
  [`${core}.HostAlias`]: { hostnames: atomic },
  [`${core}.PodDNSConfig`]: { nameservers: atomic, options: atomic, searches: atomic },
  [`${core}.ServiceSpec`]: {
    ports: keyed('port', ['port', 'protocol']),
    clusterIPs: atomic,
    externalIPs: atomic,
    loadBalancerSourceRanges: atomic,
    ipFamilies: atomic,
  },
  [`${core}.ServiceStatus`]: { conditions },
  [`${core}.LoadBalancerStatus`]: { ingress: atomic },
  [`${core}.NodeSpec`]: { podCIDRs: { strategy: 'merge', listType: 'set' }, taints: atomic },
  [`${core}.NodeStatus`]: {
    conditions,
    addresses: keyed('type'),
    images: atomic,
    volumesInUse: atomic,
    volumesAttached: atomic,
  },
  [`${core}.Endpoints`]: { subsets: atomic },
  [`${core}.EndpointSubset`]: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  [`${core}.ServiceAccount`]: { secrets: keyed('name'), imagePullSecrets: atomic },
  [`${core}.NamespaceStatus`]: { conditions },
  [`${core}.NamespaceSpec`]: { finalizers: atomic },
  [`${core}.PersistentVolumeClaimSpec`]: { accessModes: atomic },
  [`${core}.PersistentVolumeClaimStatus`]: { conditions, accessModes: atomic },
  [`${core}.PersistentVolumeSpec`]: { accessModes: atomic, mountOptions: atomic },
  [`${core}.ReplicationControllerStatus`]: { conditions },
  [`${core}.ComponentStatus`]: { conditions },
  [`${core}.NodeSelector`]: { nodeSelectorTerms: atomic },
  [`${core}.NodeSelectorTerm`]: { matchExpressions: atomic, matchFields: atomic },
  [`${core}.NodeSelectorRequirement`]: { values: atomic },
  [`${core}.NodeAffinity`]: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${core}.PodAffinity`]: {
    requiredDuringSchedulingIgnoredDuringExecution: atomic,
    preferredDuringSchedulingIgnoredDuringExecution: atomic,
  },
  [`${core}.PodAntiAffinity`]: {
    requiredDuringSchedulingIgnoredDuringExecution: atomic,
    preferredDuringSchedulingIgnoredDuringExecution: atomic,
  },
  [`${core}.ResourceQuotaSpec`]: { scopes: atomic },
  [`${core}.LimitRangeSpec`]: { limits: atomic },
  [`${core}.ConfigMapVolumeSource`]: { items: atomic },
  [`${core}.SecretVolumeSource`]: { items: atomic },
  [`${core}.ProjectedVolumeSource`]: { sources: atomic },

  [`${apps}.DeploymentStatus`]: { conditions },
  [`${apps}.ReplicaSetStatus`]: { conditions },
  [`${apps}.StatefulSetStatus`]: { conditions },
  [`${apps}.DaemonSetStatus`]: { conditions },
  [`${apps}.StatefulSetSpec`]: { volumeClaimTemplates: atomic },

  ['io.k8s.api.batch.v1.JobStatus']: { conditions: { mergeKey: 'type', strategy: 'merge', listType: 'atomic' } },
  ['io.k8s.api.batch.v1.CronJobStatus']: { active: atomic },
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus']: { conditions, currentMetrics: atomic },
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec']: { metrics: atomic },
  ['io.k8s.api.policy.v1.PodDisruptionBudgetStatus']: { conditions },
  ['io.k8s.api.networking.v1.IngressSpec']: { rules: atomic, tls: atomic },
  ['io.k8s.api.networking.v1.NetworkPolicySpec']: { ingress: atomic, egress: atomic, policyTypes: atomic },
  ['io.k8s.api.discovery.v1.EndpointSlice']: { endpoints: atomic, ports: atomic },
  ['io.k8s.api.networking.v1.HTTPIngressRuleValue']: { paths: atomic },
  ['io.k8s.api.networking.v1.IngressTLS']: { hosts: atomic },
  ['io.k8s.api.networking.v1.IngressLoadBalancerStatus']: { ingress: atomic },
  ['io.k8s.api.networking.v1.IngressLoadBalancerIngress']: { ports: atomic },
  ['io.k8s.api.networking.v1.NetworkPolicyIngressRule']: { ports: atomic, from: atomic },
  ['io.k8s.api.networking.v1.NetworkPolicyEgressRule']: { ports: atomic, to: atomic },
  ['io.k8s.api.networking.v1.IPBlock']: { except: atomic },
  ['io.k8s.api.discovery.v1.Endpoint']: { addresses: { listType: 'set' } },
  ['io.k8s.api.rbac.v1.PolicyRule']: { verbs: atomic, apiGroups: atomic, resources: atomic, resourceNames: atomic, nonResourceURLs: atomic },
  ['io.k8s.api.rbac.v1.Role']: { rules: atomic },
  ['io.k8s.api.rbac.v1.ClusterRole']: { rules: atomic },
  ['io.k8s.api.rbac.v1.AggregationRule']: { clusterRoleSelectors: atomic },
  ['io.k8s.api.rbac.v1.RoleBinding']: { subjects: atomic },
  ['io.k8s.api.rbac.v1.ClusterRoleBinding']: { subjects: atomic },
  ['io.k8s.api.storage.v1.StorageClass']: { mountOptions: atomic, allowedTopologies: atomic },
  ['io.k8s.api.storage.v1.CSIDriverSpec']: { volumeLifecycleModes: { listType: 'set' }, tokenRequests: atomic },
  ['io.k8s.api.storage.v1.CSINodeSpec']: { drivers: keyed('name') },
  ['io.k8s.api.storage.v1.CSINodeDriver']: { topologyKeys: atomic },
  ['io.k8s.api.certificates.v1.CertificateSigningRequestSpec']: { usages: atomic, groups: atomic },
  ['io.k8s.api.certificates.v1.CertificateSigningRequestStatus']: { conditions: { listType: 'map', listMapKeys: ['type'] } },
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus']: {
    conditions: { listType: 'map', listMapKeys: ['type'] },
    storedVersions: atomic,
  },
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec']: { versions: atomic },
};

/** Structs upstream marks `+structType=atomic` (x-kubernetes-map-type: atomic). */
export const atomicStructs: string[] = [
  `${meta}.LabelSelector`,
  `${core}.ObjectReference`,
  `${core}.LocalObjectReference`,
  `${core}.TypedLocalObjectReference`,
  `${core}.SecretReference`,
  `${core}.NodeSelector`,
  `${core}.NodeSelectorTerm`,
  `${core}.TopologySelectorTerm`,
  `${core}.ConfigMapKeySelector`,
  `${core}.SecretKeySelector`,
  `${core}.ObjectFieldSelector`,
  `${core}.ResourceFieldSelector`,
];
