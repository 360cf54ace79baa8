// events.k8s.io/v1 Event, kept under its own storage prefix ("events.k8s.io/events") rather than
// converted to and from core/v1 Events; conversion helpers are exported for a later shared prefix.
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1';
import { eventsV1Printer } from '../printers/event';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateEventsV1, type EventFields } from '../validation/event';
import { validateObjectMetaUpdate } from '../validation/object-meta';

function fields(e: EventsV1Event): EventFields {
  return {
    namespace: e.metadata?.namespace ?? '', involvedNamespace: e.regarding?.namespace ?? '', eventTime: e.eventTime || undefined,
    reportingController: e.reportingController ?? '', reportingInstance: e.reportingInstance ?? '', action: e.action ?? '',
    reason: e.reason ?? '', message: e.note ?? '', type: e.type ?? '', firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp, count: e.deprecatedCount ?? 0, sourceComponent: e.deprecatedSource?.component ?? '',
    sourceHost: e.deprecatedSource?.host ?? '',
  };
}

export function eventsV1FieldAttributes(o: KubeObject): Record<string, string> {
  const e = o as unknown as EventsV1Event;
  const r = e.regarding ?? {};
  return {
    'regarding.kind': r.kind ?? '', 'regarding.namespace': r.namespace ?? '', 'regarding.name': r.name ?? '', 'regarding.uid': r.uid ?? '',
    'regarding.apiVersion': r.apiVersion ?? '', 'regarding.resourceVersion': r.resourceVersion ?? '', 'regarding.fieldPath': r.fieldPath ?? '',
    reason: e.reason ?? '', reportingController: e.reportingController ?? '', type: e.type ?? '',
  };
}

/** events.k8s.io/v1 → core/v1, field for field as upstream's conversion. */
export function eventsV1ToCore(e: EventsV1Event): CoreEvent {
  const out: CoreEvent = {
    apiVersion: 'v1', kind: 'Event', metadata: e.metadata ?? {}, involvedObject: e.regarding ?? {},
    reason: e.reason, message: e.note, type: e.type, action: e.action, related: e.related, eventTime: e.eventTime,
    reportingComponent: e.reportingController ?? '', reportingInstance: e.reportingInstance ?? '',
    source: e.deprecatedSource ?? {}, firstTimestamp: e.deprecatedFirstTimestamp, lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
  };
  if (e.series) out.series = { count: e.series.count, lastObservedTime: e.series.lastObservedTime };
  return out;
}

/** core/v1 → events.k8s.io/v1. */
export function coreToEventsV1(e: CoreEvent): EventsV1Event {
  const out: EventsV1Event = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata, eventTime: e.eventTime ?? (null as unknown as string),
    regarding: e.involvedObject, reason: e.reason, note: e.message, type: e.type, action: e.action, related: e.related,
    reportingController: e.reportingComponent, reportingInstance: e.reportingInstance, deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp, deprecatedLastTimestamp: e.lastTimestamp, deprecatedCount: e.count,
  };
  if (e.series) out.series = { count: e.series.count ?? 0, lastObservedTime: e.series.lastObservedTime ?? '' };
  return out;
}

export function eventsV1Resource(): ResourceDef {
  return defineResource({
    group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'],
    namespaced: true, storagePrefix: 'events.k8s.io/events', openapiName: 'io.k8s.api.events.v1.Event',
    strategy: {
      validate: (o: KubeObject) => validateEventsV1(o.metadata, fields(o as unknown as EventsV1Event)),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
      fieldAttributes: eventsV1FieldAttributes,
    },
    printer: eventsV1Printer,
  });
}
