// The root CA publisher: a `kube-root-ca.crt` ConfigMap in every active namespace holding the CA that
// signs the apiserver's serving certificate, kept equal to it (pods' kube-api-access volumes read it).
import { readFileSync } from 'node:fs';
import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1';
import { isAlreadyExists, isNotFound } from '../client/api-error';
import { resources } from '../client/resource-ref';
import type { RestClient } from '../client/rest-client';
import { runWorkers, WorkQueue } from '../client/work-queue';
import type { Controller, ControllerContext } from './controller';

const name = 'kube-root-ca.crt';
const description = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal '
  + 'service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The CA the controller-manager itself trusts for the apiserver (upstream's --root-ca-file falls back to it too). */
function rootCa(client: RestClient): string {
  const cluster = client.kubeConfig.getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, 'base64').toString('utf8');
  if (cluster?.caFile) return readFileSync(cluster.caFile, 'utf8');
  throw new Error('the controller-manager kubeconfig names no certificate authority to publish');
}

export function rootCaPublisher(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('root-ca-cert-publisher');
  const namespaces = ctx.informers.for<Namespace>(resources.namespaces);
  const maps = ctx.informers.for<ConfigMap>(resources.configmaps);
  const ca = rootCa(ctx.client);
  const onNamespace = (ns: Namespace) => queue.add(ns.metadata?.name ?? '');
  namespaces.on('add', onNamespace);
  namespaces.on('update', onNamespace);
  const onMap = (cm: ConfigMap) => { if (cm.metadata?.name === name) queue.add(cm.metadata.namespace ?? ''); };
  maps.on('update', onMap);
  maps.on('delete', onMap);

  const reconcile = async (ns: string) => {
    const namespace = namespaces.get(undefined, ns);
    if (!namespace || namespace.metadata?.deletionTimestamp || namespace.status?.phase !== 'Active') return;
    const data = { 'ca.crt': ca };
    const current = maps.get(ns, name);
    if (!current) {
      try {
        await ctx.client.create<ConfigMap>(resources.configmaps, ns, {
          apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations: { 'kubernetes.io/description': description } }, data,
        });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      return;
    }
    const ok = current.data?.['ca.crt'] === ca && Object.keys(current.data ?? {}).length === 1 && !current.binaryData
      && current.metadata?.annotations?.['kubernetes.io/description'] === description;
    if (ok) return;
    try {
      await ctx.client.update<ConfigMap>(resources.configmaps, {
        ...current, data, binaryData: undefined,
        metadata: { ...current.metadata, annotations: { ...current.metadata?.annotations, 'kubernetes.io/description': description } },
      });
    } catch (err) {
      // A conflict or a concurrent delete brings another event, which requeues the namespace.
      if (!isNotFound(err)) throw err;
    }
  };

  return {
    name: 'root-ca-cert-publisher',
    run(workers) { void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('root-ca-cert-publisher sync failed', { key, err: String(err) })); },
  };
}
