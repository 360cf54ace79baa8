// policy/v1 resources.
import type { ResourceDef } from '../resource-types';
import { podDisruptionBudgetResource } from '../resources/poddisruptionbudget';

export function policyResources(): ResourceDef[] {
  return [podDisruptionBudgetResource()];
}
