// `kubectl get` columns for the pod-template workloads: deployments, replicasets, statefulsets,
// daemonsets, replicationcontrollers, the controllerrevisions they keep, and the scale subresource.
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Scale } from 'kubernetes-types/autoscaling/v1';
import type { PodTemplate, ReplicationController } from 'kubernetes-types/core/v1';
import type { KubeObject, Printer } from '../resource-types';
import {
  ageColumn, ageSince, col, containerCells, containersColumn, formatLabelSelector, formatLabels, imagesColumn, nameColumn, selectorString,
} from './index-helpers';

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    col('Selector', 'string', 'Label selector for pods.', 1),
  ],
  row(obj: KubeObject): unknown[] {
    const d = obj as Deployment;
    const [containers, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata?.name ?? '', `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0, ageSince(d.metadata?.creationTimestamp), containers, images, selectorString(d.spec?.selector),
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Desired', 'integer', 'Number of desired pods.'),
    col('Current', 'integer', 'The most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of pods targeted by this ReplicaSet with a Ready Condition.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    col('Selector', 'string', 'Label selector for pods.', 1),
  ],
  row(obj: KubeObject): unknown[] {
    const rs = obj as ReplicaSet;
    const [containers, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata?.name ?? '', rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0,
      ageSince(rs.metadata?.creationTimestamp), containers, images, selectorString(rs.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
  ],
  row(obj: KubeObject): unknown[] {
    const s = obj as StatefulSet;
    const [containers, images] = containerCells(s.spec?.template?.spec?.containers);
    return [s.metadata?.name ?? '', `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, ageSince(s.metadata?.creationTimestamp), containers, images];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
    col('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    col('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    col('Selector', 'string', 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  row(obj: KubeObject): unknown[] {
    const d = obj as DaemonSet;
    const st = d.status;
    const [containers, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata?.name ?? '', st?.desiredNumberScheduled ?? 0, st?.currentNumberScheduled ?? 0, st?.numberReady ?? 0,
      st?.updatedNumberScheduled ?? 0, st?.numberAvailable ?? 0, formatLabels(d.spec?.template?.spec?.nodeSelector),
      ageSince(d.metadata?.creationTimestamp), containers, images, formatLabelSelector(d.spec?.selector),
    ];
  },
};

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Desired', 'integer', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller'),
    col('Ready', 'integer', 'The number of ready replicas for this replication controller.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    col('Selector', 'string', 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  row(obj: KubeObject): unknown[] {
    const rc = obj as ReplicationController;
    const [containers, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      rc.metadata?.name ?? '', rc.spec?.replicas ?? 0, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0,
      ageSince(rc.metadata?.creationTimestamp), containers, images, formatLabels(rc.spec?.selector),
    ];
  },
};

/** `statefulset.apps/web`: the controlling owner as upstream's formatResourceName prints it. */
function controllerName(cr: ControllerRevision): string {
  const ref = (cr.metadata?.ownerReferences ?? []).find((r) => r.controller);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'integer', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn(),
  ],
  row(obj: KubeObject): unknown[] {
    const cr = obj as unknown as ControllerRevision;
    return [cr.metadata?.name ?? '', controllerName(cr), cr.revision, ageSince(cr.metadata?.creationTimestamp)];
  },
};

export const podTemplatePrinter: Printer = {
  columns: [
    nameColumn(),
    containersColumn(0),
    imagesColumn(0),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  row(obj: KubeObject): unknown[] {
    const pt = obj as PodTemplate;
    const [containers, images] = containerCells(pt.template?.spec?.containers);
    return [pt.metadata?.name ?? '', containers, images, formatLabels(pt.template?.metadata?.labels)];
  },
};

/** The scale subresource's columns (`kubectl get deploy x --subresource=scale`), as upstream's printScale. */
export const scalePrinter: Printer = {
  columns: [
    nameColumn(),
    { ...col('Desired', 'integer', 'replicas is the desired number of instances for the scaled object.'), doc: 'io.k8s.api.autoscaling.v1.ScaleSpec#replicas' },
    { ...col('Available', 'integer', 'replicas is the actual number of observed instances of the scaled object.'), doc: 'io.k8s.api.autoscaling.v1.ScaleStatus#replicas' },
    ageColumn(),
  ],
  row(obj: KubeObject): unknown[] {
    const s = obj as Scale;
    return [s.metadata?.name ?? '', s.spec?.replicas ?? 0, s.status?.replicas ?? 0, ageSince(s.metadata?.creationTimestamp)];
  },
};
