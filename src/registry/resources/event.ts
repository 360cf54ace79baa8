// core/v1 Event: legacy validation, the involvedObject/reason/type/source field selectors, printer;
// events.k8s.io/v1 Events are the same stored objects (events-v1.ts).
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import { coreEventPrinter } from '../printers/event';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateCoreEvent } from '../validation/event';
import { validateObjectMetaUpdate } from '../validation/object-meta';

/**
 * Field-selector attributes of a stored Event under both APIs' names: core/v1 and events.k8s.io/v1 share
 * one watch cache, and each version's fieldLabels says which names its selectors may use.
 */
export function eventFieldAttributes(o: KubeObject): Record<string, string> {
  const e = o as unknown as CoreEvent;
  const io = e.involvedObject ?? {};
  const attrs: Record<string, string> = {};
  const ref = { kind: io.kind, namespace: io.namespace, name: io.name, uid: io.uid, apiVersion: io.apiVersion, resourceVersion: io.resourceVersion, fieldPath: io.fieldPath };
  for (const [k, v] of Object.entries(ref)) {
    attrs[`involvedObject.${k}`] = v ?? '';
    attrs[`regarding.${k}`] = v ?? '';
  }
  attrs.reason = e.reason ?? '';
  attrs.reportingComponent = e.reportingComponent ?? '';
  attrs.reportingController = e.reportingComponent ?? '';
  attrs.source = e.source?.component || e.reportingComponent || '';
  attrs.type = e.type ?? '';
  return attrs;
}

/** Go serialises these non-pointer structs and strings even when empty. */
export function coreEventDefaults(o: KubeObject): void {
  const e = o as unknown as CoreEvent;
  (e as { involvedObject: CoreEvent['involvedObject'] }).involvedObject ??= {};
  e.source ??= {};
  for (const f of ['eventTime', 'firstTimestamp', 'lastTimestamp']) if (o[f] === undefined) o[f] = null;
  e.reportingComponent ??= '';
  e.reportingInstance ??= '';
}

export function coreEventResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'],
    namespaced: true, storagePrefix: 'events', openapiName: 'io.k8s.api.core.v1.Event',
    strategy: {
      defaults: coreEventDefaults,
      validate: (o: KubeObject) => validateCoreEvent(o as unknown as CoreEvent),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
      fieldAttributes: eventFieldAttributes,
      fieldLabels: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
        'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
    },
    printer: coreEventPrinter,
  });
}
