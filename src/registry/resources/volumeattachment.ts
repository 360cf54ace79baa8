// storage.k8s.io/v1 VolumeAttachment: a request to attach a volume to a node; the spec is fixed, the
// attacher reports through the status subresource.
import type { VolumeAttachment } from 'kubernetes-types/storage/v1';
import { invalidRendered } from '../validation/go-format';
import { volumeAttachmentPrinter } from '../printers/storage';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateObjectMetaUpdate } from '../validation/object-meta';
import { validateVolumeAttachment } from '../validation/storage';

export function volumeAttachmentResource(): ResourceDef {
  return defineResource({
    group: 'storage.k8s.io', version: 'v1', kind: 'VolumeAttachment', plural: 'volumeattachments',
    namespaced: false, openapiName: 'io.k8s.api.storage.v1.VolumeAttachment',
    subresources: { status: true },
    strategy: {
      statusKeepsStoredMetadata: 'all',
      prepareForCreate(o: KubeObject) { delete o.status; },
      validate: (o: KubeObject) => validateVolumeAttachment(o as unknown as VolumeAttachment),
      validateUpdate: (o: KubeObject, old: KubeObject) => {
        const errs = validateObjectMetaUpdate(o.metadata, old.metadata);
        if (JSON.stringify((o as unknown as VolumeAttachment).spec) !== JSON.stringify((old as unknown as VolumeAttachment).spec)) {
          errs.push(invalidRendered('spec', (o as unknown as VolumeAttachment).spec, 'storage.VolumeAttachmentSpec{...}', 'field is immutable'));
        }
        return errs;
      },
    },
    printer: volumeAttachmentPrinter,
  });
}
