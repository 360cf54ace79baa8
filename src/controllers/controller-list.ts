// Every controller the controller-manager can run, by upstream's name (for --controllers).
import type { ControllerFactory } from './controller';
import { daemonSetController } from './daemonset/daemonset-controller';
import { deploymentController } from './deployment/deployment-controller';
import { endpointSliceController } from './endpoints/endpointslice-controller';
import { endpointsController } from './endpoints/endpoints-controller';
import { garbageCollector } from './garbage-collector/garbage-collector';
import { namespaceController } from './namespace/namespace-controller';
import { nodeLifecycleController } from './node-lifecycle/node-lifecycle-controller';
import { podGcController } from './podgc-controller';
import { replicaSetController } from './replicaset/replicaset-controller';
import { serviceAccountController } from './serviceaccount-controller';
import { statefulSetController } from './statefulset/statefulset-controller';

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
  statefulset: statefulSetController,
  daemonset: daemonSetController,
};
