// pvc-protection and pv-protection, after upstream's storage-object-in-use protection: a claim being
// deleted keeps its `kubernetes.io/pvc-protection` finalizer while any pod that is not finished uses it,
// and a volume keeps `kubernetes.io/pv-protection` while it is Bound. Admission adds the finalizers.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import { isNotFound } from '../../client/api-error';
import { objectKey, splitKey } from '../../client/informer';
import { resources, type ResourceRef } from '../../client/resource-ref';
import type { ApiObject, RestClient } from '../../client/rest-client';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import type { Controller, ControllerContext } from '../controller';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from './volume-annotations';
import { claimsOfPod } from './volume-matching';

const isFinished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

async function removeFinalizer(client: RestClient, r: ResourceRef, obj: ApiObject, finalizer: string): Promise<void> {
  const finalizers = (obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
  try {
    // The resourceVersion makes this a compare-and-swap: a claim that gained a user meanwhile is looked at again.
    await client.patch(r, obj.metadata?.namespace, obj.metadata?.name ?? '', {
      metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: obj.metadata?.resourceVersion },
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export function pvcProtectionController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('pvcprotection');
  const claims = ctx.informers.for<PersistentVolumeClaim>(resources.persistentvolumeclaims);
  const pods = ctx.informers.for<Pod>(resources.pods);
  pods.addIndex('claim', (p) => claimsOfPod(p).map((c) => `${p.metadata?.namespace}/${c}`));
  const onClaim = (c: PersistentVolumeClaim) => { if (c.metadata?.deletionTimestamp) queue.add(objectKey(c)); };
  claims.on('add', onClaim);
  claims.on('update', onClaim);
  // A pod that finishes or goes away may free a claim waiting to be deleted.
  const onPod = (p: Pod) => { for (const c of claimsOfPod(p)) queue.add(`${p.metadata?.namespace}/${c}`); };
  pods.on('update', onPod);
  pods.on('delete', onPod);

  const inUse = async (claim: PersistentVolumeClaim): Promise<boolean> => {
    const key = objectKey(claim);
    const users = (ps: Pod[]) => ps.some((p) => !isFinished(p) && claimsOfPod(p).includes(claim.metadata?.name ?? ''));
    if (users(pods.byIndex('claim', key))) return true;
    // The informer may not have seen a pod created a moment ago: ask the apiserver before letting go.
    const live = await ctx.client.list<Pod>(resources.pods, claim.metadata?.namespace);
    return users(live.items);
  };

  const reconcile = async (key: string) => {
    const { namespace, name } = splitKey(key);
    const claim = claims.get(namespace, name);
    if (!claim?.metadata?.deletionTimestamp || !claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) return;
    if (await inUse(claim)) return;
    await removeFinalizer(ctx.client, resources.persistentvolumeclaims, claim, PVC_PROTECTION_FINALIZER);
  };
  return {
    name: 'pvc-protection',
    run(workers) { void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('pvc-protection sync failed', { key, err: String(err) })); },
  };
}

export function pvProtectionController(ctx: ControllerContext): Controller {
  const queue = new WorkQueue('pvprotection');
  const volumes = ctx.informers.for<PersistentVolume>(resources.persistentvolumes);
  const onVolume = (v: PersistentVolume) => { if (v.metadata?.deletionTimestamp) queue.add(v.metadata.name ?? ''); };
  volumes.on('add', onVolume);
  volumes.on('update', onVolume);

  const reconcile = async (name: string) => {
    const pv = volumes.get(undefined, name);
    if (!pv?.metadata?.deletionTimestamp || !pv.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER)) return;
    if (pv.status?.phase === 'Bound') return;
    await removeFinalizer(ctx.client, resources.persistentvolumes, pv, PV_PROTECTION_FINALIZER);
  };
  return {
    name: 'pv-protection',
    run(workers) { void runWorkers(queue, workers, reconcile, (key, err) => ctx.log('pv-protection sync failed', { key, err: String(err) })); },
  };
}
