// autoscaling resources: v2 first (the preferred and storage version), then v1.
import type { ResourceDef } from '../resource-types';
import { hpaV1Resource, hpaV2Resource } from '../resources/horizontalpodautoscaler';

export function autoscalingResources(): ResourceDef[] {
  return [hpaV2Resource(), hpaV1Resource()];
}
