// core/v1 ("legacy" group) resources, in the order discovery lists them.
import type { ResourceDef } from '../resource-types';
import { configMapResource } from '../resources/configmap';
import { endpointsResource } from '../resources/endpoints';
import { coreEventResource } from '../resources/event';
import { namespaceResource } from '../resources/namespace';
import { nodeResource } from '../resources/node';
import { podResource } from '../resources/pod';
import { secretResource } from '../resources/secret';
import { serviceResource } from '../resources/service';
import { serviceAccountResource } from '../resources/serviceaccount';

export function coreResources(): ResourceDef[] {
  return [
    configMapResource(),
    endpointsResource(),
    coreEventResource(),
    namespaceResource(),
    nodeResource(),
    podResource(),
    secretResource(),
    serviceAccountResource(),
    serviceResource(),
  ];
}
