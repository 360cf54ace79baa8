// The built-in resources served at start, in discovery order: core first, then one file per API group
// in the order upstream's /apis lists the groups.
import { apiextensionsResources } from './groups/apiextensions';
import { appsResources } from './groups/apps';
import { authenticationResources } from './groups/authentication';
import { authorizationResources } from './groups/authorization';
import { autoscalingResources } from './groups/autoscaling';
import { batchResources } from './groups/batch';
import { certificatesResources } from './groups/certificates';
import { coordinationResources } from './groups/coordination';
import { coreResources } from './groups/core';
import { discoveryResources } from './groups/discovery';
import { eventsResources } from './groups/events';
import { networkingResources } from './groups/networking';
import { nodeResources } from './groups/node';
import { policyResources } from './groups/policy';
import { rbacResources } from './groups/rbac';
import { schedulingResources } from './groups/scheduling';
import { storageResources } from './groups/storage';
import type { ResourceDef } from './resource-types';

export function builtinResources(): ResourceDef[] {
  return [
    ...coreResources(),
    ...appsResources(),
    ...eventsResources(),
    ...authenticationResources(),
    ...authorizationResources(),
    ...autoscalingResources(),
    ...batchResources(),
    ...certificatesResources(),
    ...networkingResources(),
    ...policyResources(),
    ...rbacResources(),
    ...storageResources(),
    ...apiextensionsResources(),
    ...schedulingResources(),
    ...coordinationResources(),
    ...nodeResources(),
    ...discoveryResources(),
  ];
}
