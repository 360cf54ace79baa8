// discovery.k8s.io/v1 resources.
import type { ResourceDef } from '../resource-types';
import { endpointSliceResource } from '../resources/endpointslice';

export function discoveryResources(): ResourceDef[] {
  return [endpointSliceResource()];
}
