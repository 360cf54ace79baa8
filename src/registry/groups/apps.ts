// apps/v1 resources.
import type { ResourceDef } from '../resource-types';
import { deploymentResource } from '../resources/deployment';
import { replicaSetResource } from '../resources/replicaset';

export function appsResources(): ResourceDef[] {
  return [
    deploymentResource(),
    replicaSetResource(),
  ];
}
