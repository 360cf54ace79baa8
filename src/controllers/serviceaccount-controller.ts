// The service account controller: a `default` ServiceAccount in every active namespace, made again if
// it is deleted (pods run as it unless they name another).
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1';
import { isAlreadyExists } from '../client/api-error';
import { resources } from '../client/resource-ref';
import { runWorkers, WorkQueue } from '../client/work-queue';
import type { Controller, ControllerContext } from './controller';

const defaultName = 'default';

export function serviceAccountController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('serviceaccount');
  const namespaces = ctx.informers.for<Namespace>(resources.namespaces);
  const accounts = ctx.informers.for<ServiceAccount>(resources.serviceaccounts);
  const onNamespace = (ns: Namespace) => queue.add(ns.metadata?.name ?? '');
  namespaces.on('add', onNamespace);
  namespaces.on('update', onNamespace);
  accounts.on('delete', (sa) => { if (sa.metadata?.name === defaultName) queue.add(sa.metadata.namespace ?? ''); });

  const reconcile = async (name: string) => {
    const ns = namespaces.get(undefined, name);
    if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase !== 'Active') return;
    if (accounts.get(name, defaultName)) return;
    try {
      await ctx.client.create<ServiceAccount>(resources.serviceaccounts, name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: defaultName } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  };

  return {
    name: 'serviceaccount',
    run(workers) { void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('serviceaccount sync failed', { key, err: String(err) })); },
  };
}
