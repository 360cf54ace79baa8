// apiextensions.k8s.io/v1 resources (the custom resources a CRD defines join the table at run time).
import type { ResourceDef } from '../resource-types';
import { customResourceDefinitionResource } from '../resources/crd';

export function apiextensionsResources(): ResourceDef[] {
  return [customResourceDefinitionResource()];
}
