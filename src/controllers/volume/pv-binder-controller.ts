// persistentvolume-binder, after upstream's PersistentVolumeController: binds each claim to the volume
// that fits it best (claimRef on the volume, volumeName on the claim, both phases Bound), asks the class's
// provisioner for a volume when none fits, and once a claim is gone releases its volume and applies the
// reclaim policy (Retain: Released; Delete: the provisioner deletes it; no deleter: Failed).
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { isConflict, isNotFound } from '../../client/api-error';
import { EventRecorder } from '../../client/event-recorder';
import { objectKey } from '../../client/informer';
import { resources } from '../../client/resource-ref';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { deepEqual } from '../../registry/object-meta';
import type { Controller, ControllerContext } from '../controller';
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, ANN_STORAGE_PROVISIONER,
} from './volume-annotations';
import { claimClass, findMatchingVolume, isDelayBinding, isDelayBindingProvisioning, isVolumeBoundToClaim } from './volume-matching';

/** upstream's --pvclaimbinder-sync-period: every claim and volume is looked at again this often. */
const RESYNC_MS = 15_000;

type ClaimPhase = 'Pending' | 'Bound' | 'Lost';
type VolumePhase = 'Available' | 'Bound' | 'Released' | 'Failed';

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function persistentVolumeBinderController(ctx: ControllerContext): Controller {
  const claimQueue = new WorkQueue('claims');
  const volumeQueue = new WorkQueue('volumes');
  const claims = ctx.informers.for<PersistentVolumeClaim>(resources.persistentvolumeclaims);
  const volumes = ctx.informers.for<PersistentVolume>(resources.persistentvolumes);
  const classes = ctx.informers.for<StorageClass>(resources.storageclasses);
  const recorder = new EventRecorder(ctx.client, 'persistentvolume-controller');
  const classOf = (name: string) => classes.get(undefined, name);

  const onClaim = (c: PersistentVolumeClaim) => claimQueue.add(objectKey(c));
  claims.on('add', onClaim);
  claims.on('update', onClaim);
  claims.on('delete', (c) => { if (c.spec?.volumeName) volumeQueue.add(c.spec.volumeName); });
  const onVolume = (v: PersistentVolume) => {
    volumeQueue.add(v.metadata?.name ?? '');
    const ref = v.spec?.claimRef;
    if (ref?.name) claimQueue.add(`${ref.namespace}/${ref.name}`);
  };
  volumes.on('add', onVolume);
  volumes.on('update', onVolume);
  volumes.on('delete', onVolume);

  // ---- writes, each skipped when nothing would change ----

  const updateClaimStatus = async (claim: PersistentVolumeClaim, phase: ClaimPhase, volume?: PersistentVolume): Promise<PersistentVolumeClaim> => {
    const status = { ...claim.status, phase };
    if (volume) {
      status.accessModes = volume.spec?.accessModes;
      status.capacity = volume.spec?.capacity;
    }
    if (deepEqual(status, claim.status)) return claim;
    return ctx.client.updateStatus(resources.persistentvolumeclaims, { ...claim, status });
  };

  const updateVolumePhase = async (pv: PersistentVolume, phase: VolumePhase, message = ''): Promise<PersistentVolume> => {
    if (pv.status?.phase === phase && (pv.status.message ?? '') === message) return pv;
    const status = { ...pv.status, phase, message: message || undefined };
    if (pv.status?.phase !== phase) status.lastPhaseTransitionTime = now();
    return ctx.client.updateStatus(resources.persistentvolumes, { ...pv, status });
  };

  const claimLost = async (claim: PersistentVolumeClaim, message: string) => {
    if (claim.status?.phase !== 'Lost') recorder.event(claim, 'Warning', 'ClaimLost', message);
    await updateClaimStatus(claim, 'Lost');
  };

  /** Both halves of a binding, in upstream's order: volume, volume phase, claim, claim phase. */
  const bind = async (pv: PersistentVolume, claim: PersistentVolumeClaim) => {
    const ref = pv.spec?.claimRef;
    if (!ref || ref.uid !== claim.metadata?.uid || !isVolumeBoundToClaim(pv, claim)) {
      const annotations = { ...pv.metadata?.annotations };
      if (!isVolumeBoundToClaim(pv, claim)) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      pv = await ctx.client.update(resources.persistentvolumes, {
        ...pv, metadata: { ...pv.metadata, annotations },
        spec: { ...pv.spec, claimRef: {
          kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata?.namespace, name: claim.metadata?.name,
          uid: claim.metadata?.uid, resourceVersion: claim.metadata?.resourceVersion,
        } },
      });
    }
    pv = await updateVolumePhase(pv, 'Bound');
    const annotations = { ...claim.metadata?.annotations };
    if (claim.spec?.volumeName !== pv.metadata?.name) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
    annotations[ANN_BIND_COMPLETED] = 'yes';
    if (claim.spec?.volumeName !== pv.metadata?.name || !deepEqual(annotations, claim.metadata?.annotations ?? {})) {
      claim = await ctx.client.update(resources.persistentvolumeclaims, {
        ...claim, metadata: { ...claim.metadata, annotations }, spec: { ...claim.spec, volumeName: pv.metadata?.name },
      });
    }
    await updateClaimStatus(claim, 'Bound', pv);
  };

  /** No volume fits: wait for the pod, ask the class's provisioner, or say there is nothing to ask. */
  const provisionOrWait = async (claim: PersistentVolumeClaim) => {
    const className = claimClass(claim);
    if (isDelayBinding(claim, classOf) && !isDelayBindingProvisioning(claim)) {
      recorder.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    } else if (className === '') {
      recorder.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    } else {
      const cls = classOf(className);
      if (!cls) {
        recorder.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      } else if (cls.provisioner.startsWith('kubernetes.io/')) {
        // In-tree plugin names (kubernetes.io/no-provisioner and the removed cloud ones) have no provisioner here.
        recorder.event(claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${cls.provisioner}`);
      } else {
        const annotations = claim.metadata?.annotations ?? {};
        if (annotations[ANN_STORAGE_PROVISIONER] !== cls.provisioner || annotations[ANN_BETA_STORAGE_PROVISIONER] !== cls.provisioner) {
          claim = await ctx.client.update(resources.persistentvolumeclaims, { ...claim, metadata: { ...claim.metadata, annotations: {
            ...annotations, [ANN_STORAGE_PROVISIONER]: cls.provisioner, [ANN_BETA_STORAGE_PROVISIONER]: cls.provisioner,
          } } });
        }
        recorder.event(claim, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${cls.provisioner}' `
          + 'or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.');
      }
    }
    await updateClaimStatus(claim, 'Pending');
  };

  /** Why a volume the claim names cannot serve it, or undefined when it can. */
  const mismatch = (pv: PersistentVolume, claim: PersistentVolumeClaim): string | undefined => {
    if (findMatchingVolume(claim, [{ ...pv, spec: { ...pv.spec, claimRef: undefined }, status: { phase: 'Available' } }], undefined, false)) return undefined;
    if ((pv.spec?.storageClassName ?? '') !== claimClass(claim)) return 'storageClassName does not match';
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
    if (!(claim.spec?.accessModes ?? []).every((m) => pv.spec?.accessModes?.includes(m))) return 'incompatible accessMode';
    return 'requested PV is too small';
  };

  const syncUnboundClaim = async (claim: PersistentVolumeClaim) => {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) {
      const pv = findMatchingVolume(claim, volumes.list(), undefined, isDelayBinding(claim, classOf));
      if (pv) await bind(pv, claim); else await provisionOrWait(claim);
      return;
    }
    // The user named the volume.
    const pv = volumes.get(undefined, volumeName);
    if (!pv) { await updateClaimStatus(claim, 'Pending'); return; }
    if (!pv.spec?.claimRef) {
      const why = mismatch(pv, claim);
      if (why) {
        recorder.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${why}`);
        await updateClaimStatus(claim, 'Pending');
        return;
      }
      await bind(pv, claim);
    } else if (isVolumeBoundToClaim(pv, claim)) {
      await bind(pv, claim);
    } else {
      recorder.event(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
      await updateClaimStatus(claim, 'Pending');
    }
  };

  const syncBoundClaim = async (claim: PersistentVolumeClaim) => {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) { await claimLost(claim, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!'); return; }
    const pv = volumes.get(undefined, volumeName) ?? await ctx.client.find<PersistentVolume>(resources.persistentvolumes, undefined, volumeName);
    if (!pv) { await claimLost(claim, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!'); return; }
    if (!pv.spec?.claimRef || pv.spec.claimRef.uid === claim.metadata?.uid) { await bind(pv, claim); return; }
    await claimLost(claim, 'Two claims are bound to the same volume, this one is bound incorrectly');
  };

  const syncClaim = async (key: string) => {
    const claim = claims.getByKey(key);
    if (!claim) return;
    if (claim.metadata?.annotations?.[ANN_BIND_COMPLETED]) await syncBoundClaim(claim);
    else await syncUnboundClaim(claim);
  };

  /** The claim is gone: the volume is Released and its reclaim policy applies. */
  const reclaim = async (pv: PersistentVolume) => {
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') pv = await updateVolumePhase(pv, 'Released');
    if (pv.status?.phase === 'Failed') return;
    switch (pv.spec?.persistentVolumeReclaimPolicy) {
      case 'Delete':
        // A provisioned volume is deleted by its provisioner, which watches for this; nothing else can.
        if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY]) return;
        recorder.event(pv, 'Warning', 'VolumeFailedDelete', `error getting deleter volume plugin for volume "${pv.metadata?.name}": no deletable volume plugin matched`);
        await updateVolumePhase(pv, 'Failed', 'error getting deleter volume plugin for volume: no deletable volume plugin matched');
        return;
      case 'Recycle':
        recorder.event(pv, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
        await updateVolumePhase(pv, 'Failed', 'No recycler plugin found for the volume!');
        return;
      default:
        // Retain: the data stays until an administrator deals with it.
    }
  };

  const syncVolume = async (name: string) => {
    const pv = volumes.get(undefined, name);
    if (!pv) return;
    const ref = pv.spec?.claimRef;
    if (!ref || !ref.uid) {
      // Unclaimed, or pre-bound by name to a claim that will take it when it syncs.
      await updateVolumePhase(pv, 'Available');
      if (ref?.name) claimQueue.add(`${ref.namespace}/${ref.name}`);
      return;
    }
    let claim = claims.get(ref.namespace, ref.name ?? '');
    // The cache may lag behind a claim made a moment ago: only the apiserver's answer counts.
    claim ??= await ctx.client.find<PersistentVolumeClaim>(resources.persistentvolumeclaims, ref.namespace, ref.name ?? '');
    if (!claim || claim.metadata?.uid !== ref.uid) { await reclaim(pv); return; }
    if (!claim.spec?.volumeName) { claimQueue.add(objectKey(claim)); return; }
    if (claim.spec.volumeName === name) {
      if (claim.metadata?.annotations?.[ANN_BIND_COMPLETED]) await updateVolumePhase(pv, 'Bound');
      return;
    }
    // The claim went to another volume: a provisioned one is no longer needed, a controller's binding is undone.
    if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY] && pv.spec?.persistentVolumeReclaimPolicy === 'Delete') { await reclaim(pv); return; }
    const annotations = { ...pv.metadata?.annotations };
    const byController = !!annotations[ANN_BOUND_BY_CONTROLLER];
    delete annotations[ANN_BOUND_BY_CONTROLLER];
    const unbound = await ctx.client.update(resources.persistentvolumes, {
      ...pv, metadata: { ...pv.metadata, annotations },
      spec: { ...pv.spec, claimRef: byController ? undefined : { ...ref, uid: undefined } },
    });
    await updateVolumePhase(unbound, 'Available');
  };

  const onError = (what: string) => (key: string, err: unknown) => {
    // A conflict only means the cache was behind; the retry sees the newer object.
    if (!isNotFound(err) && !isConflict(err)) ctx.log(`persistentvolume-binder: ${what} sync failed`, { key, err: String(err) });
  };
  return {
    name: 'persistentvolume-binder',
    run(workers) {
      void runWorkers(claimQueue, workers, syncClaim, onError('claim'));
      void runWorkers(volumeQueue, workers, syncVolume, onError('volume'));
      setInterval(() => {
        for (const c of claims.list()) claimQueue.add(objectKey(c));
        for (const v of volumes.list()) volumeQueue.add(v.metadata?.name ?? '');
      }, RESYNC_MS).unref();
      for (const c of claims.list()) claimQueue.add(objectKey(c));
      for (const v of volumes.list()) volumeQueue.add(v.metadata?.name ?? '');
    },
  };
}
