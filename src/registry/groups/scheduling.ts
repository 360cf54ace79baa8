// scheduling.k8s.io/v1 resources.
import type { ResourceDef } from '../resource-types';
import { priorityClassResource } from '../resources/priorityclass';

export function schedulingResources(): ResourceDef[] {
  return [priorityClassResource()];
}
