// coordination.k8s.io/v1 resources.
import type { ResourceDef } from '../resource-types';
import { leaseResource } from '../resources/lease';

export function coordinationResources(): ResourceDef[] {
  return [leaseResource()];
}
