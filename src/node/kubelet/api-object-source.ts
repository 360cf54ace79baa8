// The kubelet's ObjectSource over the API: configMaps, secrets, claims and volumes read when a pod
// needs them, Services from one informer over all namespaces (as upstream's kubelet keeps them), and
// pod-bound service account tokens.
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret, Service } from 'kubernetes-types/core/v1';
import { Informer } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import type { RestClient } from '../../client/rest-client';
import type { ObjectSource } from './object-source';
import { serviceAccountTokens } from './service-account-tokens';

export function apiObjectSource(api: RestClient): { objects: ObjectSource; stop(): void } {
  const serviceInformer = new Informer<Service>(api, resources.services);
  void serviceInformer.start();
  const objects: ObjectSource = {
    configMap: (ns, name) => api.find<ConfigMap>(resources.configmaps, ns, name),
    secret: (ns, name) => api.find<Secret>(resources.secrets, ns, name),
    services: async () => { await serviceInformer.synced(); return serviceInformer.list(); },
    claim: (ns, name) => api.find<PersistentVolumeClaim>(resources.persistentvolumeclaims, ns, name),
    volume: (name) => api.find<PersistentVolume>(resources.persistentvolumes, undefined, name),
    serviceAccountToken: serviceAccountTokens(api),
  };
  return { objects, stop: () => serviceInformer.stop() };
}
