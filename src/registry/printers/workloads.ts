// `kubectl get deployments` and `kubectl get replicasets` columns.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, containerCells, containersColumn, imagesColumn, nameColumn, selectorString } from './index-helpers';

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
