// The annotations and finalizers by which the volume binder, the scheduler's volume binding, the
// local-path provisioner and the kubelet talk about claims and volumes (upstream's names).
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
export const ANN_IS_DEFAULT_STORAGE_CLASS = 'storageclass.kubernetes.io/is-default-class';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/** The built-in dynamic provisioner run by every kubelet, and the default StorageClass that names it. */
export const LOCAL_PATH_PROVISIONER = 'kubets.io/local-path';
export const LOCAL_PATH_STORAGE_CLASS = 'local-path';
