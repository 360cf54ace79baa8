// The built-in resources served at start, in discovery order: core first, then one file per API group.
import { appsResources } from './groups/apps';
import { autoscalingResources } from './groups/autoscaling';
import { batchResources } from './groups/batch';
import { coordinationResources } from './groups/coordination';
import { coreResources } from './groups/core';
import { eventsResources } from './groups/events';
import type { ResourceDef } from './resource-types';

export function builtinResources(): ResourceDef[] {
  return [
    ...coreResources(),
    ...appsResources(),
    ...eventsResources(),
    ...autoscalingResources(),
    ...batchResources(),
    ...coordinationResources(),
  ];
}
