// The resourcequota controller: keeps each ResourceQuota's status (hard as the spec says, used as the
// namespace's objects add up) current, recomputing a namespace when a quota or a counted object in it
// changes, and every five minutes as upstream's full resync.
import type { PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1';
import { isConflict, isNotFound } from '../../client/api-error';
import type { Informer } from '../../client/informer';
import type { ApiObject } from '../../client/rest-client';
import { resources } from '../../client/resource-ref';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { deepEqual } from '../../registry/object-meta';
import type { Controller, ControllerContext } from '../controller';
import { quotaScopeSelectors } from './quota-scopes';
import { quotaUsage } from './quota-usage';

const resyncMs = 5 * 60_000;

export function resourceQuotaController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('resourcequota');
  const quotas = ctx.informers.for<ResourceQuota>(resources.resourcequotas);
  const pods = ctx.informers.for<Pod>(resources.pods);
  const services = ctx.informers.for<Service>(resources.services);
  const claims = ctx.informers.for<PersistentVolumeClaim>(resources.persistentvolumeclaims);
  /** Kinds counted by number only, under their quota names. */
  const counted: [string, Informer<ApiObject>][] = [
    ['configmaps', ctx.informers.for(resources.configmaps)],
    ['secrets', ctx.informers.for(resources.secrets)],
    ['replicationcontrollers', ctx.informers.for(resources.replicationcontrollers)],
    ['resourcequotas', ctx.informers.for(resources.resourcequotas)],
    ['deployments.apps', ctx.informers.for(resources.deployments)],
    ['replicasets.apps', ctx.informers.for(resources.replicasets)],
    ['statefulsets.apps', ctx.informers.for(resources.statefulsets)],
    ['daemonsets.apps', ctx.informers.for(resources.daemonsets)],
    ['jobs.batch', ctx.informers.for(resources.jobs)],
    ['cronjobs.batch', ctx.informers.for(resources.cronjobs)],
  ];

  const onQuota = (q: ResourceQuota) => queue.add(q.metadata?.namespace ?? '');
  for (const e of ['add', 'update', 'delete'] as const) quotas.on(e, onQuota);
  // A change elsewhere matters only to namespaces that have a quota.
  const onObject = (o: ApiObject) => {
    const ns = o.metadata?.namespace ?? '';
    if (quotas.list(ns).length) queue.add(ns);
  };
  for (const e of ['add', 'update', 'delete'] as const) {
    pods.on(e, onObject);
    services.on(e, onObject);
    claims.on(e, onObject);
    for (const [, inf] of counted) inf.on(e, onObject);
  }

  const reconcile = async (ns: string) => {
    const inNs = quotas.list(ns);
    if (!inNs.length) return;
    const objs = {
      pods: pods.list(ns), services: services.list(ns), persistentvolumeclaims: claims.list(ns),
      counts: new Map(counted.map(([name, inf]) => [name, inf.list(ns).length])),
    };
    for (const q of inNs) {
      const hard = q.spec?.hard ?? {};
      const status = { hard, used: quotaUsage(hard, objs, Date.now(), quotaScopeSelectors(q)) };
      if (deepEqual(q.status ?? {}, status)) continue;
      try {
        await ctx.client.updateStatus<ResourceQuota>(resources.resourcequotas, { ...q, status });
      } catch (err) {
        // A newer version of the quota brings its own event, and with it another pass.
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
  };

  return {
    name: 'resourcequota',
    run(workers) {
      setInterval(() => { for (const q of quotas.list()) queue.add(q.metadata?.namespace ?? ''); }, resyncMs).unref();
      void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('resourcequota sync failed', { key, err: String(err) }));
    },
  };
}
