// The built-in dynamic provisioner (`kubets.io/local-path`, after rancher's local-path-provisioner), run
// by every kubelet because it makes directories on its own node: for a claim the binder handed to it and
// the scheduler placed on this node, a directory under --local-path-dir and a `local` PersistentVolume
// pre-bound to the claim with node affinity to this node; a Released volume of its with reclaim policy
// Delete loses its directory and is deleted.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { isAlreadyExists, isNotFound } from '../../client/api-error';
import { EventRecorder } from '../../client/event-recorder';
import { objectKey } from '../../client/informer';
import { InformerFactory } from '../../client/informer-factory';
import { resources } from '../../client/resource-ref';
import type { RestClient } from '../../client/rest-client';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, LOCAL_PATH_PROVISIONER,
} from '../../controllers/volume/volume-annotations';
import { claimClass } from '../../controllers/volume/volume-matching';

export interface LocalPathOptions {
  api: RestClient;
  nodeName: string;
  /** Where this node's volumes live, one directory each. */
  dir: string;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

/** The volume name external provisioners give a claim's volume. */
export const provisionedVolumeName = (claim: PersistentVolumeClaim): string => `pvc-${claim.metadata?.uid}`;

function wantsUs(claim: PersistentVolumeClaim, nodeName: string): boolean {
  const a = claim.metadata?.annotations ?? {};
  const provisioner = a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER];
  return provisioner === LOCAL_PATH_PROVISIONER && a[ANN_SELECTED_NODE] === nodeName
    && !claim.spec?.volumeName && !claim.metadata?.deletionTimestamp;
}

export function startLocalPathProvisioner(o: LocalPathOptions): () => void {
  const informers = new InformerFactory(o.api);
  const claims = informers.for<PersistentVolumeClaim>(resources.persistentvolumeclaims);
  const volumes = informers.for<PersistentVolume>(resources.persistentvolumes);
  const recorder = new EventRecorder(o.api, `${LOCAL_PATH_PROVISIONER}_${o.nodeName}`);
  const claimQueue = new WorkQueue('local-path-claims');
  const volumeQueue = new WorkQueue('local-path-volumes');
  const onClaim = (c: PersistentVolumeClaim) => { if (wantsUs(c, o.nodeName)) claimQueue.add(objectKey(c)); };
  claims.on('add', onClaim);
  claims.on('update', onClaim);
  const onVolume = (v: PersistentVolume) => { if (v.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER) volumeQueue.add(v.metadata.name ?? ''); };
  volumes.on('add', onVolume);
  volumes.on('update', onVolume);
  const root = path.resolve(o.dir);

  const provision = async (key: string) => {
    const claim = claims.getByKey(key);
    if (!claim || !wantsUs(claim, o.nodeName)) return;
    const pvName = provisionedVolumeName(claim);
    if (volumes.get(undefined, pvName)) return;
    const ns = claim.metadata?.namespace ?? '';
    const name = claim.metadata?.name ?? '';
    const className = claimClass(claim);
    const cls = await o.api.find<StorageClass>(resources.storageclasses, undefined, className);
    if (!cls) {
      recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${className}": storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    if (claim.spec?.volumeMode === 'Block') {
      recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${className}": only Filesystem volumes are supported`);
      return;
    }
    recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${name}"`);
    const dir = path.join(root, `${pvName}_${ns}_${name}`);
    mkdirSync(dir, { recursive: true });
    // Any container user may write, as rancher's provisioner makes them.
    chmodSync(dir, 0o777);
    const pv: PersistentVolume = {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER } },
      spec: {
        capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
        accessModes: claim.spec?.accessModes,
        persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
        storageClassName: className,
        volumeMode: 'Filesystem',
        mountOptions: cls.mountOptions,
        claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name, uid: claim.metadata?.uid, resourceVersion: claim.metadata?.resourceVersion },
        local: { path: dir },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.nodeName] }] }] } },
      },
    };
    try {
      await o.api.create(resources.persistentvolumes, undefined, pv);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return;
    }
    recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
  };

  const reclaim = async (name: string) => {
    const pv = volumes.get(undefined, name);
    if (!pv || pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    const dir = pv.spec.local?.path ?? pv.spec.hostPath?.path;
    // Only what this node made is this node's to remove.
    if (!dir || path.dirname(path.resolve(dir)) !== root) return;
    rmSync(dir, { recursive: true, force: true });
    try {
      await o.api.delete(resources.persistentvolumes, undefined, name, { preconditions: { uid: pv.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    o.log('local-path volume deleted', { volume: name, dir });
  };

  const onError = (what: string) => (key: string, err: unknown) => o.log(`local-path provisioner: ${what} failed`, { key, err: String(err) });
  void informers.start().then(() => {
    void runWorkers(claimQueue, 1, provision, onError('provisioning'));
    void runWorkers(volumeQueue, 1, reclaim, onError('deleting'));
  });
  return () => { informers.stop(); claimQueue.shutdown(); volumeQueue.shutdown(); };
}
