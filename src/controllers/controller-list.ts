// Every controller the controller-manager can run, by upstream's name (for --controllers).
import type { ControllerFactory } from './controller';
import { disruptionController } from './disruption/disruption-controller';
import { deploymentController } from './deployment/deployment-controller';
import { endpointSliceController } from './endpoints/endpointslice-controller';
import { endpointsController } from './endpoints/endpoints-controller';
import { garbageCollector } from './garbage-collector/garbage-collector';
import { namespaceController } from './namespace/namespace-controller';
import { nodeLifecycleController } from './node-lifecycle/node-lifecycle-controller';
import { podGcController } from './podgc-controller';
import { replicaSetController } from './replicaset/replicaset-controller';
import { serviceAccountController } from './serviceaccount-controller';
import { persistentVolumeBinderController } from './volume/pv-binder-controller';
import { pvcProtectionController, pvProtectionController } from './volume/volume-protection-controllers';

export const controllerFactories: Record<string, ControllerFactory> = {
  deployment: deploymentController,
  replicaset: replicaSetController,
  namespace: namespaceController,
  garbagecollector: garbageCollector,
  serviceaccount: serviceAccountController,
  endpoint: endpointsController,
  endpointslice: endpointSliceController,
  nodelifecycle: nodeLifecycleController,
  podgc: podGcController,
  disruption: disruptionController,
  'persistentvolume-binder': persistentVolumeBinderController,
  'pvc-protection': pvcProtectionController,
  'pv-protection': pvProtectionController,
};
