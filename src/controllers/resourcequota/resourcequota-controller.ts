// The resourcequota controller: keeps each ResourceQuota's status (hard as the spec says, used as the
// namespace's objects add up) current, recomputing a namespace when a quota or a counted object in it
// changes, and every five minutes as upstream's full resync. `count/<resource>.<group>` of kinds beyond the
// built-in list (CRDs included) are found through discovery when a quota first names them.
import type { PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1';
import { discoverResources, supportsVerbs } from '../../client/api-discovery';
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
/** How long a count/ name discovery could not resolve waits before it is looked up again. */
const rediscoverMs = 30_000;
/** Names the typed evaluators count from their own informers. */
const typed = new Set(['pods', 'services', 'persistentvolumeclaims']);

export function resourceQuotaController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('resourcequota');
  const quotas = ctx.informers.for<ResourceQuota>(resources.resourcequotas);
  const pods = ctx.informers.for<Pod>(resources.pods);
  const services = ctx.informers.for<Service>(resources.services);
  const claims = ctx.informers.for<PersistentVolumeClaim>(resources.persistentvolumeclaims);
  /** Kinds counted by number only, under their quota names. */
  const counted = new Map<string, Informer<ApiObject>>([
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
  ]);

  const onQuota = (q: ResourceQuota) => queue.add(q.metadata?.namespace ?? '');
  for (const e of ['add', 'update', 'delete'] as const) quotas.on(e, onQuota);
  // A change elsewhere matters only to namespaces that have a quota.
  const onObject = (o: ApiObject) => {
    const ns = o.metadata?.namespace ?? '';
    if (quotas.list(ns).length) queue.add(ns);
  };
  const watchCount = (inf: Informer<ApiObject>) => { for (const e of ['add', 'update', 'delete'] as const) inf.on(e, onObject); };
  for (const inf of [pods, services, claims, ...counted.values()]) watchCount(inf as Informer<ApiObject>);

  const unresolved = new Map<string, number>();
  /** Starts counting the count/ names of `hard` that no informer covers yet, as discovery resolves them. */
  const countInformersFor = async (hard: Record<string, string>) => {
    const now = Date.now();
    const wanted = Object.keys(hard).filter((n) => n.startsWith('count/')).map((n) => n.slice('count/'.length))
      .filter((n) => !typed.has(n) && !counted.has(n) && now - (unresolved.get(n) ?? 0) > rediscoverMs);
    if (!wanted.length) return;
    const found = (await discoverResources(ctx.client)).resources;
    for (const name of wanted) {
      const r = found.find((x) => x.namespaced && supportsVerbs(x, 'list', 'watch') && (x.group ? `${x.plural}.${x.group}` : x.plural) === name);
      if (!r) { unresolved.set(name, now); continue; }
      const inf = ctx.informers.for<ApiObject>(r);
      counted.set(name, inf);
      watchCount(inf);
      await inf.synced();
    }
  };

  const reconcile = async (ns: string) => {
    const inNs = quotas.list(ns);
    if (!inNs.length) return;
    for (const q of inNs) await countInformersFor(q.spec?.hard ?? {});
    const objs = {
      pods: pods.list(ns), services: services.list(ns), persistentvolumeclaims: claims.list(ns),
      counts: new Map([...counted].map(([name, inf]) => [name, inf.list(ns).length])),
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
