// The endpoints controller: keeps each selector Service's core/v1 Endpoints (same name) equal to the
// addresses of the pods it selects, ready or not; Services without a selector are left to their owners.
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import { isNotFound } from '../../client/api-error';
import { objectKey, splitKey, type Informer } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import type { Controller, ControllerContext } from '../controller';
import { desiredSubsets, endpointsLabels } from './endpoints-subsets';
import { hasSelector, lastChangeTriggerTime, selects } from './service-backends';
import { deepEqual } from '../../registry/object-meta';

export const triggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';

export function endpointsController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('endpoint');
  const services = ctx.informers.for<Service>(resources.services);
  const pods = ctx.informers.for<Pod>(resources.pods);
  const endpoints = ctx.informers.for<Endpoints>(resources.endpoints);
  watchServicesAndPods(services, pods, (key) => queue.add(key));
  endpoints.on('delete', (ep) => { if (services.getByKey(objectKey(ep))) queue.add(objectKey(ep)); });

  const reconcile = async (key: string) => {
    const { namespace, name } = splitKey(key);
    const svc = services.get(namespace, name);
    if (!svc) {
      // As upstream: the Endpoints of a deleted Service go with it.
      try { await ctx.client.delete(resources.endpoints, namespace, name); } catch (err) { if (!isNotFound(err)) throw err; }
      return;
    }
    if (!hasSelector(svc)) return;
    const selected = pods.list(namespace).filter((p) => selects(svc, p));
    const subsets = desiredSubsets(svc, selected);
    const labels = endpointsLabels(svc);
    const current = endpoints.get(namespace, name);
    if (current && deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata?.labels ?? {}, labels)) return;
    const annotations = { ...(current?.metadata?.annotations ?? {}) };
    const trigger = lastChangeTriggerTime(svc, selected);
    if (trigger) annotations[triggerTimeAnnotation] = trigger; else delete annotations[triggerTimeAnnotation];
    const ep: Endpoints = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? {}), name, namespace, labels, annotations },
      subsets,
    };
    if (current) await ctx.client.update(resources.endpoints, ep);
    else await ctx.client.create(resources.endpoints, namespace, ep);
  };

  return {
    name: 'endpoint',
    run(workers) { void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('endpoints sync failed', { key, err: String(err) })); },
  };
}

/** Queues a Service's key on its own changes and on changes of the pods it selects (before or after). */
export function watchServicesAndPods(
  services: Informer<Service>, pods: Informer<Pod>,
  add: (serviceKey: string) => void,
): void {
  services.on('add', (s) => add(objectKey(s)));
  services.on('update', (s) => add(objectKey(s)));
  services.on('delete', (s) => add(objectKey(s)));
  // A label change can move a pod between services, so the previous labels count too.
  const lastLabels = new Map<string, Record<string, string> | undefined>();
  const onPod = (pod: Pod, gone = false) => {
    const key = objectKey(pod);
    const before = lastLabels.get(key);
    if (gone) lastLabels.delete(key); else lastLabels.set(key, pod.metadata?.labels);
    for (const svc of services.list(pod.metadata?.namespace)) {
      if (selects(svc, pod) || (before && selects(svc, { ...pod, metadata: { ...pod.metadata, labels: before } }))) add(objectKey(svc));
    }
  };
  pods.on('add', (p) => onPod(p));
  pods.on('update', (p) => onPod(p));
  pods.on('delete', (p) => onPod(p, true));
}
