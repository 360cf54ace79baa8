// The namespace controller: empties a Terminating namespace of every namespaced kind that discovery
// lists (deletecollection, or list and delete), reports progress in the namespace's conditions, waits
// for graceful pods and finalizers, then removes the `kubernetes` finalizer through namespaces/<ns>/finalize.
import type { Namespace, Pod } from 'kubernetes-types/core/v1';
import { discoverResources, supportsVerbs, type DiscoveredResource } from '../../client/api-discovery';
import { isNotFound } from '../../client/api-error';
import { resourcePath, resources } from '../../client/resource-ref';
import type { ApiObject, RestClient } from '../../client/rest-client';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import type { Controller, ControllerContext } from '../controller';
import { resourceLabel, updatedConditions, type DeletionPass } from './namespace-conditions';

const finalizerName = 'kubernetes';
/** Upstream's estimate when only finalizers hold content back: give their controllers this long. */
const finalizerEstimateSeconds = 5;

export function namespaceController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('namespace');
  const informer = ctx.informers.for<Namespace>(resources.namespaces);
  const enqueue = (ns: Namespace) => { if (ns.metadata?.deletionTimestamp) queue.add(ns.metadata.name ?? ''); };
  informer.on('add', enqueue);
  informer.on('update', enqueue);
  // Graceful pods are what a namespace usually waits for: look again as soon as one goes, not only on the estimate.
  ctx.informers.for<Pod>(resources.pods).on('delete', (pod) => {
    const ns = informer.get(undefined, pod.metadata?.namespace ?? '');
    if (ns) enqueue(ns);
  });

  const reconcile = async (name: string) => {
    let ns: Namespace;
    try {
      ns = await ctx.client.get<Namespace>(resources.namespaces, undefined, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(finalizerName)) return;
    const { pass, estimateSeconds } = await deleteAllContent(ctx.client, name);
    const conditions = updatedConditions(ns.status, pass, new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
    if (conditions) {
      ns = await ctx.client.updateStatus(resources.namespaces, { ...ns, status: { ...ns.status, phase: 'Terminating', conditions } });
    }
    if (pass.discoveryFailures.length || pass.contentFailures.length) throw new Error(`namespace ${name}: content deletion failed`);
    if (pass.remaining.size > 0) {
      ctx.log('namespace content remaining', { namespace: name, remaining: Object.fromEntries(pass.remaining), estimateSeconds });
      return { requeueAfterMs: (estimateSeconds / 2 + 1) * 1000 };
    }
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== finalizerName);
    await ctx.client.request('PUT', resourcePath(resources.namespaces, undefined, name, 'finalize'), { ...ns, spec: { ...ns.spec, finalizers } });
    ctx.log('namespace finalized', { namespace: name });
    return undefined;
  };

  return {
    name: 'namespace',
    run(workers) { void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('namespace sync failed', { key, err: String(err) })); },
  };
}

/** One pass: deletes everything in the namespace and counts what is still there. */
async function deleteAllContent(client: RestClient, namespace: string): Promise<{ pass: DeletionPass; estimateSeconds: number }> {
  const pass: DeletionPass = { discoveryFailures: [], contentFailures: [], remaining: new Map(), finalizers: new Map() };
  const discovered = await discoverResources(client);
  pass.discoveryFailures.push(...discovered.failures);
  const targets = discovered.resources.filter((r) => r.namespaced && supportsVerbs(r, 'list', 'delete'));
  let estimateSeconds = 0;
  await Promise.all(targets.map(async (r) => {
    try {
      const e = await deleteResourceContent(client, r, namespace, pass);
      estimateSeconds = Math.max(estimateSeconds, e);
    } catch (err) {
      pass.contentFailures.push(`${resourceLabel(r.plural, r.group)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }));
  return { pass, estimateSeconds };
}

/** Deletes one kind's objects in the namespace; returns the seconds the remaining ones should take. */
async function deleteResourceContent(client: RestClient, r: DiscoveredResource, namespace: string, pass: DeletionPass): Promise<number> {
  const background = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
  if (supportsVerbs(r, 'deletecollection')) {
    await client.request('DELETE', resourcePath(r, namespace), background);
  } else {
    const listed = await client.listAll<ApiObject>(r, namespace);
    await Promise.all(listed.items.map(async (o) => {
      if (o.metadata?.deletionTimestamp) return;
      try {
        await client.delete(r, namespace, o.metadata?.name ?? '', { propagationPolicy: 'Background' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }));
  }
  const left = (await client.listAll<ApiObject>(r, namespace)).items;
  if (left.length === 0) return 0;
  pass.remaining.set(resourceLabel(r.plural, r.group), left.length);
  let estimate = 0;
  for (const o of left) {
    for (const f of o.metadata?.finalizers ?? []) pass.finalizers.set(f, (pass.finalizers.get(f) ?? 0) + 1);
    if (o.metadata?.finalizers?.length) estimate = Math.max(estimate, finalizerEstimateSeconds);
    if (r.group === '' && r.plural === 'pods') {
      const pod = o as Pod;
      estimate = Math.max(estimate, pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    }
  }
  return estimate;
}
