// Every controller the controller-manager can run, by upstream's name (for --controllers).
import type { ControllerFactory } from './controller';
import { cronJobController } from './cronjob/cronjob-controller';
import { disruptionController } from './disruption/disruption-controller';
import { daemonSetController } from './daemonset/daemonset-controller';
import { deploymentController } from './deployment/deployment-controller';
import { endpointSliceController } from './endpoints/endpointslice-controller';
import { endpointsController } from './endpoints/endpoints-controller';
import { garbageCollector } from './garbage-collector/garbage-collector';
import { jobController } from './job/job-controller';
import { namespaceController } from './namespace/namespace-controller';
import { nodeLifecycleController } from './node-lifecycle/node-lifecycle-controller';
import { podGcController } from './podgc-controller';
import { replicaSetController, replicationControllerController } from './replicaset/replicaset-controller';
import { resourceQuotaController } from './resourcequota/resourcequota-controller';
import { rootCaPublisher } from './root-ca-publisher';
import { serviceAccountController } from './serviceaccount-controller';
import { ttlAfterFinishedController } from './ttl-after-finished-controller';
import { persistentVolumeBinderController } from './volume/pv-binder-controller';
import { pvcProtectionController, pvProtectionController } from './volume/volume-protection-controllers';
import { statefulSetController } from './statefulset/statefulset-controller';

export const controllerFactories: Record<string, ControllerFactory> = {
  deployment: deploymentController,
  replicaset: replicaSetController,
  replicationcontroller: replicationControllerController,
  namespace: namespaceController,
  garbagecollector: garbageCollector,
  serviceaccount: serviceAccountController,
  'root-ca-cert-publisher': rootCaPublisher,
  resourcequota: resourceQuotaController,
  endpoint: endpointsController,
  endpointslice: endpointSliceController,
  nodelifecycle: nodeLifecycleController,
  podgc: podGcController,
  job: jobController,
  cronjob: cronJobController,
  'ttl-after-finished': ttlAfterFinishedController,
  disruption: disruptionController,
  'persistentvolume-binder': persistentVolumeBinderController,
  'pvc-protection': pvcProtectionController,
  'pv-protection': pvProtectionController,
  statefulset: statefulSetController,
  daemonset: daemonSetController,
};
