// The EndpointSlice controller: keeps each selector Service's discovery.k8s.io/v1 EndpointSlices (labelled
// with its name and managed-by this controller, owned by it) equal to the desired slices; it starts only
// when the apiserver serves endpointslices, which discovery tells.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { discoverResources } from '../../client/api-discovery';
import { isNotFound } from '../../client/api-error';
import { splitKey } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { deepEqual } from '../../registry/object-meta';
import type { Controller, ControllerContext } from '../controller';
import { watchServicesAndPods } from './endpoints-controller';
import { controllerName, desiredSlices, managedByLabel, newSlice, serviceNameLabel } from './endpoint-slices';
import { hasSelector, selects } from './service-backends';

export function endpointSliceController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('endpointslice');
  const services = ctx.informers.for<Service>(resources.services);
  const pods = ctx.informers.for<Pod>(resources.pods);
  const nodes = ctx.informers.for<Node>(resources.nodes);
  watchServicesAndPods(services, pods, (key) => queue.add(key));
  const zoneOf = (node: string) => nodes.get(undefined, node)?.metadata?.labels?.['topology.kubernetes.io/zone'];

  const start = (workers: number) => {
    const slices = ctx.informers.for<EndpointSlice>(resources.endpointslices, { labelSelector: `${managedByLabel}=${controllerName}` });
    slices.addIndex('service', (s) => [`${s.metadata?.namespace}/${s.metadata?.labels?.[serviceNameLabel] ?? ''}`]);
    slices.on('delete', (s) => queue.add(`${s.metadata?.namespace}/${s.metadata?.labels?.[serviceNameLabel] ?? ''}`));

    const reconcile = async (key: string) => {
      await slices.synced();
      const { namespace, name } = splitKey(key);
      const svc = services.get(namespace, name);
      // Slices of a deleted Service go through the garbage collector (they are owned by it).
      if (!svc || !hasSelector(svc) || svc.metadata?.deletionTimestamp) return;
      const desired = desiredSlices(svc, pods.list(namespace).filter((p) => selects(svc, p)), zoneOf);
      const existing = slices.byIndex('service', key).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
      for (let i = 0; i < Math.max(desired.length, existing.length); i++) {
        const want = desired[i];
        const have = existing[i];
        if (want && !have) await ctx.client.create(resources.endpointslices, namespace, newSlice(svc, want));
        else if (!want && have) {
          try { await ctx.client.delete(resources.endpointslices, namespace, have.metadata?.name ?? ''); } catch (err) { if (!isNotFound(err)) throw err; }
        } else if (want && have && !(deepEqual(have.endpoints ?? [], want.endpoints) && deepEqual(have.ports ?? [], want.ports)
          && deepEqual(have.metadata?.labels ?? {}, want.labels))) {
          await ctx.client.update(resources.endpointslices, { ...have, metadata: { ...have.metadata, labels: want.labels }, endpoints: want.endpoints, ports: want.ports });
        }
      }
    };
    void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('endpointslice sync failed', { key, err: String(err) }));
  };

  return {
    name: 'endpointslice',
    run(workers) {
      void discoverResources(ctx.client).then(({ resources: served }) => {
        if (served.some((r) => r.group === 'discovery.k8s.io' && r.plural === 'endpointslices')) start(workers);
        else ctx.log('endpointslice controller not started: the apiserver does not serve discovery.k8s.io/v1 endpointslices');
      }).catch((err: unknown) => ctx.log('endpointslice controller: discovery failed', { err: String(err) }));
    },
  };
}
