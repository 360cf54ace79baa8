// Every controller the controller-manager can run, by upstream's name (for --controllers).
import type { ControllerFactory } from './controller';
import { deploymentController } from './deployment/deployment-controller';
import { replicaSetController } from './replicaset/replicaset-controller';

export const controllerFactories: Record<string, ControllerFactory> = {
  deployment: deploymentController,
  replicaset: replicaSetController,
};
