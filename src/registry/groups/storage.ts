// storage.k8s.io/v1 resources.
import type { ResourceDef } from '../resource-types';
import { csiDriverResource } from '../resources/csidriver';
import { csiNodeResource } from '../resources/csinode';
import { storageClassResource } from '../resources/storageclass';
import { volumeAttachmentResource } from '../resources/volumeattachment';

export function storageResources(): ResourceDef[] {
  return [csiDriverResource(), csiNodeResource(), storageClassResource(), volumeAttachmentResource()];
}
