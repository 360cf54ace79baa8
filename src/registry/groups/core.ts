// core/v1 ("legacy" group) resources, in the order discovery lists them.
import type { ResourceDef } from '../resource-types';
import { bindingResource } from '../resources/binding';
import { componentStatusResource } from '../resources/componentstatus';
import { configMapResource } from '../resources/configmap';
import { endpointsResource } from '../resources/endpoints';
import { coreEventResource } from '../resources/event';
import { limitRangeResource } from '../resources/limitrange';
import { namespaceResource } from '../resources/namespace';
import { nodeResource } from '../resources/node';
import { persistentVolumeResource } from '../resources/persistentvolume';
import { persistentVolumeClaimResource } from '../resources/persistentvolumeclaim';
import { podResource } from '../resources/pod';
import { podTemplateResource } from '../resources/podtemplate';
import { replicationControllerResource } from '../resources/replicationcontroller';
import { resourceQuotaResource } from '../resources/resourcequota';
import { secretResource } from '../resources/secret';
import { serviceResource } from '../resources/service';
import { serviceAccountResource } from '../resources/serviceaccount';

export function coreResources(): ResourceDef[] {
  return [
    bindingResource(),
    componentStatusResource(),
    configMapResource(),
    endpointsResource(),
    coreEventResource(),
    limitRangeResource(),
    namespaceResource(),
    nodeResource(),
    persistentVolumeClaimResource(),
    persistentVolumeResource(),
    podResource(),
    podTemplateResource(),
    replicationControllerResource(),
    resourceQuotaResource(),
    secretResource(),
    serviceAccountResource(),
    serviceResource(),
  ];
}
