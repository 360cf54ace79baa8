// batch/v1 resources.
import type { ResourceDef } from '../resource-types';
import { cronJobResource } from '../resources/cronjob';
import { jobResource } from '../resources/job';

export function batchResources(): ResourceDef[] {
  return [cronJobResource(), jobResource()];
}
