// apps/v1 resources, in the order upstream's discovery lists them.
import type { ResourceDef } from '../resource-types';
import { controllerRevisionResource } from '../resources/controllerrevision';
import { daemonSetResource } from '../resources/daemonset';
import { deploymentResource } from '../resources/deployment';
import { replicaSetResource } from '../resources/replicaset';
import { statefulSetResource } from '../resources/statefulset';

export function appsResources(): ResourceDef[] {
  return [
    controllerRevisionResource(),
    daemonSetResource(),
    deploymentResource(),
    replicaSetResource(),
    statefulSetResource(),
  ];
}
