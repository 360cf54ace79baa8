// events.k8s.io/v1 resources.
import type { ResourceDef } from '../resource-types';
import { eventsV1Resource } from '../resources/events-v1';

export function eventsResources(): ResourceDef[] {
  return [eventsV1Resource()];
}
