// `kubectl get events` columns for core/v1 and events.k8s.io/v1 Events (upstream prints both the same way).
import type { Event as CoreEvent, EventSource } from 'kubernetes-types/core/v1';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1';
import type { KubeObject, Printer, TableColumn } from '../resource-types';
import { ageSince, col } from './index-helpers';

const columns: TableColumn[] = [
  col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'string', 'Type of this event (Normal, Warning).'),
  col('Reason', 'string', 'Short, machine-understandable reason for the transition into the object\'s current status.'),
  col('Object', 'string', 'The object that this event is about.'),
  col('Subobject', 'string', 'The part of the object this event is about, if any.', 1),
  col('Source', 'string', 'The component reporting this event.', 1),
  col('Message', 'string', 'A human-readable description of the status of this operation.'),
  col('First Seen', 'string', 'The time at which the event was first recorded.', 1),
  col('Count', 'string', 'The number of times this event has occurred.', 1),
  col('Name', 'string', 'Name must be unique within a namespace. Cannot be updated.', 1, 'name'),
];

function formatSource(src: EventSource | undefined, controller: string | undefined, instance: string | undefined): string {
  if (src?.component) return src.host ? `${src.component}, ${src.host}` : src.component;
  if (controller) return instance ? `${controller}, ${instance}` : controller;
  return '';
}

interface EventView {
  name: string; type: string; reason: string; kind: string; objName: string; fieldPath: string; message: string;
  source: string; first?: string; last?: string; eventTime?: string; seriesLast?: string; count?: number; seriesCount?: number;
}

function cells(e: EventView): unknown[] {
  const first = e.first ? ageSince(e.first) : ageSince(e.eventTime);
  let last = e.last ? ageSince(e.last) : first;
  let count = e.count ?? 0;
  if (e.seriesLast !== undefined || e.seriesCount !== undefined) {
    last = ageSince(e.seriesLast);
    count = e.seriesCount ?? 0;
  } else if (count === 0) {
    count = 1;
  }
  const target = e.objName ? `${e.kind.toLowerCase()}/${e.objName}` : e.kind.toLowerCase();
  return [last, e.type, e.reason, target, e.fieldPath, e.source, e.message.trim(), first, count, e.name];
}

export const coreEventPrinter: Printer = {
  columns,
  row(obj: KubeObject): unknown[] {
    const e = obj as unknown as CoreEvent;
    return cells({
      name: e.metadata?.name ?? '', type: e.type ?? '', reason: e.reason ?? '', kind: e.involvedObject?.kind ?? '',
      objName: e.involvedObject?.name ?? '', fieldPath: e.involvedObject?.fieldPath ?? '', message: e.message ?? '',
      source: formatSource(e.source, e.reportingComponent, e.reportingInstance), first: e.firstTimestamp, last: e.lastTimestamp,
      eventTime: e.eventTime, seriesLast: e.series ? (e.series.lastObservedTime ?? '') : undefined,
      seriesCount: e.series ? (e.series.count ?? 0) : undefined, count: e.count,
    });
  },
};

export const eventsV1Printer: Printer = {
  columns,
  row(obj: KubeObject): unknown[] {
    const e = obj as unknown as EventsV1Event;
    return cells({
      name: e.metadata?.name ?? '', type: e.type ?? '', reason: e.reason ?? '', kind: e.regarding?.kind ?? '',
      objName: e.regarding?.name ?? '', fieldPath: e.regarding?.fieldPath ?? '', message: e.note ?? '',
      source: formatSource(e.deprecatedSource, e.reportingController, e.reportingInstance), first: e.deprecatedFirstTimestamp,
      last: e.deprecatedLastTimestamp, eventTime: e.eventTime, seriesLast: e.series ? e.series.lastObservedTime : undefined,
      seriesCount: e.series ? e.series.count : undefined, count: e.deprecatedCount,
    });
  },
};
