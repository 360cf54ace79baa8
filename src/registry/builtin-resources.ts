// The built-in resources served at start, in discovery order (core first, then groups).
import type { ResourceDef } from './resource-types';
import { configMapResource } from './resources/configmap';
import { deploymentResource } from './resources/deployment';
import { endpointsResource } from './resources/endpoints';
import { coreEventResource } from './resources/event';
import { eventsV1Resource } from './resources/events-v1';
import { leaseResource } from './resources/lease';
import { namespaceResource } from './resources/namespace';
import { nodeResource } from './resources/node';
import { podResource } from './resources/pod';
import { replicaSetResource } from './resources/replicaset';
import { secretResource } from './resources/secret';
import { serviceResource } from './resources/service';
import { serviceAccountResource } from './resources/serviceaccount';

export function builtinResources(): ResourceDef[] {
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
    deploymentResource(),
    replicaSetResource(),
    eventsV1Resource(),
    leaseResource(),
  ];
}
