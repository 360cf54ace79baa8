// events.k8s.io/v1 Event: the same stored objects as core/v1 Events (one etcd key per event whichever
// API wrote it), converted field for field as upstream does, with the events.k8s.io validation rules.
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1';
import { eventsV1Printer } from '../printers/event';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import type { VersionConversion } from '../version-conversion';
import { validateEventsV1, type EventFields } from '../validation/event';
import { validateObjectMetaUpdate } from '../validation/object-meta';
import { coreEventDefaults, eventFieldAttributes } from './event';

/** The fields the events.k8s.io rules look at, read from the stored (core) form. */
function fields(e: CoreEvent): EventFields {
  return {
    namespace: e.metadata?.namespace ?? '', involvedNamespace: e.involvedObject?.namespace ?? '', eventTime: e.eventTime || undefined,
    reportingController: e.reportingComponent ?? '', reportingInstance: e.reportingInstance ?? '', action: e.action ?? '',
    reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '', firstTimestamp: e.firstTimestamp ?? undefined,
    lastTimestamp: e.lastTimestamp ?? undefined, count: e.count ?? 0, sourceComponent: e.source?.component ?? '',
    sourceHost: e.source?.host ?? '',
  };
}

/** Drops the keys Go's omitempty leaves out when empty. */
function omitEmpty<T extends object>(o: T, keys: (keyof T)[]): T {
  for (const k of keys) if (o[k] === undefined || o[k] === '' || o[k] === 0) delete o[k];
  return o;
}

/** events.k8s.io/v1 → core/v1. */
export function eventsV1ToCore(e: EventsV1Event): CoreEvent {
  const out: CoreEvent = {
    apiVersion: 'v1', kind: 'Event', metadata: e.metadata ?? {}, involvedObject: e.regarding ?? {},
    reason: e.reason, message: e.note, type: e.type, action: e.action, related: e.related, eventTime: e.eventTime,
    reportingComponent: e.reportingController ?? '', reportingInstance: e.reportingInstance ?? '',
    source: e.deprecatedSource ?? {}, firstTimestamp: e.deprecatedFirstTimestamp, lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
  };
  if (e.series) out.series = { count: e.series.count, lastObservedTime: e.series.lastObservedTime };
  return JSON.parse(JSON.stringify(out)) as CoreEvent;
}

/** core/v1 → events.k8s.io/v1: Go serialises the time and source structs even when empty. */
export function coreToEventsV1(e: CoreEvent): EventsV1Event {
  const out = omitEmpty<EventsV1Event>({
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata, eventTime: e.eventTime ?? (null as unknown as string),
    series: e.series ? { count: e.series.count ?? 0, lastObservedTime: e.series.lastObservedTime ?? '' } : undefined,
    reportingController: e.reportingComponent, reportingInstance: e.reportingInstance, action: e.action, reason: e.reason,
    regarding: e.involvedObject, related: e.related, note: e.message, type: e.type,
    deprecatedSource: e.source ?? {}, deprecatedFirstTimestamp: e.firstTimestamp ?? (null as unknown as string),
    deprecatedLastTimestamp: e.lastTimestamp ?? (null as unknown as string), deprecatedCount: e.count,
  }, ['series', 'reportingController', 'reportingInstance', 'action', 'reason', 'related', 'note', 'type', 'deprecatedCount']);
  return JSON.parse(JSON.stringify(out)) as EventsV1Event;
}

const conversion: VersionConversion = {
  storageApiVersion: 'v1',
  toStorage: (o) => eventsV1ToCore(o as unknown as EventsV1Event) as unknown as KubeObject,
  fromStorage: (o) => coreToEventsV1(o as unknown as CoreEvent) as unknown as KubeObject,
};

export function eventsV1Resource(): ResourceDef {
  return defineResource({
    group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'],
    namespaced: true, storagePrefix: 'events', openapiName: 'io.k8s.api.events.v1.Event', conversion,
    strategy: {
      defaults: coreEventDefaults,
      validate: (o: KubeObject) => validateEventsV1(o.metadata, fields(o as unknown as CoreEvent)),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
      fieldAttributes: eventFieldAttributes,
      fieldLabels: ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'regarding.apiVersion',
        'regarding.resourceVersion', 'regarding.fieldPath', 'reason', 'reportingController', 'type'],
    },
    printer: eventsV1Printer,
  });
}
