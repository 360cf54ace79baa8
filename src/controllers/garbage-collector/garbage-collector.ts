// The garbage collector: watches every kind that can be listed, watched and deleted (found by discovery
// and refreshed, so CRDs are covered), keeps the owner graph, and deletes dependents whose owners are
// gone (background), deletes dependents before their owner under `foregroundDeletion`, and strips
// owner references before releasing an owner under `orphan`; the finalizers are the apiserver's, set by
// propagationPolicy, and this controller removes them.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { discoverResources, supportsVerbs, type DiscoveredResource } from '../../client/api-discovery';
import { isNotFound } from '../../client/api-error';
import { resourcePath, type ResourceRef } from '../../client/resource-ref';
import type { ApiObject } from '../../client/rest-client';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import type { Controller, ControllerContext } from '../controller';
import { decide, type OwnerState } from './gc-decision';
import { deletingDependents, foregroundFinalizer, nodeOf, orphanFinalizer, OwnerGraph, type GraphNode } from './owner-graph';

/** Upstream's --gc-ignored-resources default: events are never owned for collection. */
const ignored = new Set(['/events', 'events.k8s.io/events']);
const rediscoverMs = 30_000;

export function garbageCollector(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('garbagecollector');
  const graph = new OwnerGraph();
  const monitored = new Set<string>();
  /** group/kind → resource, to find an owner from its reference's apiVersion and kind. */
  const byKind = new Map<string, DiscoveredResource>();

  const onUpsert = (r: ResourceRef, obj: ApiObject) => {
    const n = nodeOf(r, obj);
    if (!n) return;
    const old = graph.upsert(n);
    if (n.owners.length) queue.add(n.uid);
    if (n.beingDeleted && (n.finalizers.includes(orphanFinalizer) || n.finalizers.includes(foregroundFinalizer))) queue.add(n.uid);
    // An owner that starts deleting its dependents in the foreground sends all of them to collection.
    if (deletingDependents(n) && !(old && deletingDependents(old))) for (const d of graph.dependents(n.uid)) queue.add(d.uid);
  };
  const onDelete = (obj: ApiObject) => {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const old = graph.remove(uid);
    for (const d of graph.dependents(uid)) queue.add(d.uid);
    for (const o of old?.owners ?? []) if (graph.get(o.uid)) queue.add(o.uid);
  };

  const monitor = async (): Promise<void> => {
    const { resources, failures } = await discoverResources(ctx.client);
    if (failures.length) ctx.log('garbage collector: discovery failures', { failures });
    for (const r of resources) byKind.set(`${r.group}/${r.kind}`, r);
    const added = resources.filter((r) => supportsVerbs(r, 'list', 'watch', 'delete') && !ignored.has(`${r.group}/${r.plural}`)
      && !monitored.has(`${r.group}/${r.plural}`));
    await Promise.all(added.map(async (r) => {
      monitored.add(`${r.group}/${r.plural}`);
      const inf = ctx.informers.for<ApiObject>(r);
      inf.on('add', (o) => onUpsert(r, o));
      inf.on('update', (o) => onUpsert(r, o));
      inf.on('delete', onDelete);
      await inf.synced();
      // A shared informer may have synced before these handlers: replay what it holds.
      for (const o of inf.list()) onUpsert(r, o);
    }));
  };

  const resourceFor = (ref: OwnerReference): DiscoveredResource | undefined => {
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    return byKind.get(`${group}/${ref.kind}`);
  };

  /** Classifies one owner, trusting the graph when it knows the uid and asking the apiserver when it does not. */
  const ownerState = async (dependent: GraphNode, ref: OwnerReference): Promise<OwnerState | undefined> => {
    const known = graph.get(ref.uid);
    if (known) return deletingDependents(known) ? 'waiting' : 'solid';
    const r = resourceFor(ref);
    if (!r) return undefined;
    try {
      const live = await ctx.client.get<ApiObject>(r, r.namespaced ? dependent.namespace : undefined, ref.name);
      if (live.metadata?.uid !== ref.uid) return 'dangling';
      const n = nodeOf(r, live);
      return n && deletingDependents(n) ? 'waiting' : 'solid';
    } catch (err) {
      if (isNotFound(err)) return 'dangling';
      throw err;
    }
  };

  const live = async (n: GraphNode): Promise<ApiObject | undefined> => {
    try {
      const o = await ctx.client.get<ApiObject>(n.resource, n.namespace, n.name);
      return o.metadata?.uid === n.uid ? o : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };

  /** A merge patch pinned to the object's resourceVersion, so a concurrent writer makes it retry. */
  const patchMeta = (n: GraphNode, o: ApiObject, meta: Record<string, unknown>) =>
    ctx.client.patch(n.resource, n.namespace, n.name, { metadata: { resourceVersion: o.metadata?.resourceVersion, ...meta } });

  const removeFinalizer = async (n: GraphNode, finalizer: string) => {
    const o = await live(n);
    if (!o || !o.metadata?.finalizers?.includes(finalizer)) return;
    await patchMeta(n, o, { finalizers: o.metadata.finalizers.filter((f) => f !== finalizer) });
  };

  const removeOwnerReferences = async (n: GraphNode, uids: string[]) => {
    const o = await live(n);
    const refs = o?.metadata?.ownerReferences ?? [];
    if (!o || !refs.some((r) => uids.includes(r.uid))) return;
    const kept = refs.filter((r) => !uids.includes(r.uid));
    await patchMeta(n, o, { ownerReferences: kept.length ? kept : null });
  };

  const reconcile = async (uid: string) => {
    const n = graph.get(uid);
    if (!n) return;
    if (n.beingDeleted && n.finalizers.includes(orphanFinalizer)) {
      await Promise.all(graph.dependents(uid).map((d) => removeOwnerReferences(d, [uid])));
      await removeFinalizer(n, orphanFinalizer);
      return;
    }
    if (deletingDependents(n)) {
      if (graph.blockingDependents(uid).length === 0) await removeFinalizer(n, foregroundFinalizer);
      else for (const d of graph.dependents(uid)) if (!d.beingDeleted) queue.add(d.uid);
      return;
    }
    if (n.beingDeleted || n.owners.length === 0) return;
    const owners: { ref: OwnerReference; state: OwnerState }[] = [];
    for (const ref of n.owners) {
      const state = await ownerState(n, ref);
      // An owner of a kind nobody serves (yet) is left alone rather than guessed at.
      if (state === undefined) return;
      owners.push({ ref, state });
    }
    const d = decide(owners, graph.dependents(uid).length > 0, n.finalizers);
    if (d.action === 'removeOwnerReferences') await removeOwnerReferences(n, d.uids);
    if (d.action === 'delete') {
      try {
        await ctx.client.request('DELETE', resourcePath(n.resource, n.namespace, n.name), {
          apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: d.propagationPolicy, preconditions: { uid },
        });
        ctx.log('garbage collector deleted', { resource: n.resource.plural, namespace: n.namespace, name: n.name, propagationPolicy: d.propagationPolicy });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  };

  return {
    name: 'garbagecollector',
    run(workers) {
      const refresh = () => monitor().catch((err: unknown) => ctx.log('garbage collector: discovery failed', { err: String(err) }));
      void refresh().then(() => {
        void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('garbage collector sync failed', { uid: key, err: String(err) }));
        setInterval(() => { void refresh(); }, rediscoverMs).unref();
      });
    },
  };
}
