// The labels and annotations the kubelet puts on CRI sandboxes and containers (upstream's names), which
// are all it needs to find a pod's runtime state again after a restart.
export const POD_NAME = 'io.kubernetes.pod.name';
export const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const POD_UID = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME = 'io.kubernetes.container.name';
/** Marks what this kubelet made, so a second cluster's kubelet on the same containerd would leave it alone. */
export const NODE_NAME = 'kubets.io/node';

export const RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const TERMINATION_GRACE = 'io.kubernetes.pod.terminationGracePeriod';
