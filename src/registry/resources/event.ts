// core/v1 Event: legacy validation, the involvedObject/reason/type/source field selectors, printer.
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import { coreEventPrinter } from '../printers/event';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateCoreEvent } from '../validation/event';
import { validateObjectMetaUpdate } from '../validation/object-meta';

export function coreEventFieldAttributes(o: KubeObject): Record<string, string> {
  const e = o as unknown as CoreEvent;
  const io = e.involvedObject ?? {};
  return {
    'involvedObject.kind': io.kind ?? '',
    'involvedObject.namespace': io.namespace ?? '',
    'involvedObject.name': io.name ?? '',
    'involvedObject.uid': io.uid ?? '',
    'involvedObject.apiVersion': io.apiVersion ?? '',
    'involvedObject.resourceVersion': io.resourceVersion ?? '',
    'involvedObject.fieldPath': io.fieldPath ?? '',
    reason: e.reason ?? '',
    reportingComponent: e.reportingComponent ?? '',
    source: e.source?.component || e.reportingComponent || '',
    type: e.type ?? '',
  };
}

export function coreEventResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'],
    namespaced: true, storagePrefix: 'events', openapiName: 'io.k8s.api.core.v1.Event',
    strategy: {
      defaults(o: KubeObject) {
        const e = o as unknown as CoreEvent;
        // Go serialises these non-pointer structs even when empty.
        (e as { involvedObject: CoreEvent['involvedObject'] }).involvedObject ??= {};
        e.source ??= {};
        for (const f of ['eventTime', 'firstTimestamp', 'lastTimestamp']) if (o[f] === undefined) o[f] = null;
        e.reportingComponent ??= '';
        e.reportingInstance ??= '';
      },
      validate: (o: KubeObject) => validateCoreEvent(o as unknown as CoreEvent),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
      fieldAttributes: coreEventFieldAttributes,
    },
    printer: coreEventPrinter,
  });
}
