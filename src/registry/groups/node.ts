// node.k8s.io/v1 resources.
import type { ResourceDef } from '../resource-types';
import { runtimeClassResource } from '../resources/runtimeclass';

export function nodeResources(): ResourceDef[] {
  return [runtimeClassResource()];
}
