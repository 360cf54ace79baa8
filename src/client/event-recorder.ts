// Records core/v1 Events about objects, as client-go's EventRecorder does: one Event per
// (object, reason, message), whose count and lastTimestamp grow when the same thing happens again.
import type { Event, ObjectReference } from 'kubernetes-types/core/v1';
import { isNotFound } from './api-error';
import { resources } from './resource-ref';
import type { ApiObject, RestClient } from './rest-client';

export type EventType = 'Normal' | 'Warning';

interface Seen { name: string; namespace: string; count: number; at: number }

const reuseWindowMs = 10 * 60 * 1000;

export function referenceTo(obj: ApiObject): ObjectReference {
  return {
    apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata?.namespace, name: obj.metadata?.name,
    uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion,
  };
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly client: RestClient, private readonly component: string, private readonly host?: string) {}

  /** Fire and forget: an event that cannot be written must never fail the caller's reconcile. */
  event(obj: ApiObject | ObjectReference, type: EventType, reason: string, message: string, fieldPath?: string): void {
    void this.record(obj, type, reason, message, fieldPath).catch(() => undefined);
  }

  /** Drops what is remembered about an object's events (its uid), once the object is gone. */
  forget(uid: string): void {
    for (const k of [...this.seen.keys()]) if (k.startsWith(`${uid}/`)) this.seen.delete(k);
  }

  private async record(obj: ApiObject | ObjectReference, type: EventType, reason: string, message: string, fieldPath?: string): Promise<void> {
    const base: ObjectReference = 'metadata' in obj ? referenceTo(obj as ApiObject) : obj as ObjectReference;
    const ref: ObjectReference = fieldPath ? { ...base, fieldPath } : base;
    const namespace = ref.namespace || 'default';
    const key = `${ref.uid ?? ''}/${ref.kind}/${ref.namespace}/${ref.name}/${ref.fieldPath ?? ''}/${type}/${reason}/${message}`;
    const now = new Date();
    const ts = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const prev = this.seen.get(key);
    if (prev && now.getTime() - prev.at < reuseWindowMs) {
      prev.count++;
      prev.at = now.getTime();
      try {
        await this.client.patch(resources.events, prev.namespace, prev.name, { count: prev.count, lastTimestamp: ts });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (this.seen.size > 4096) this.seen.clear();
    const name = `${ref.name}.${(now.getTime() * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`;
    const ev: Event & { metadata: { name: string; namespace: string } } = {
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace },
      involvedObject: ref, reason, message, type, count: 1,
      firstTimestamp: ts, lastTimestamp: ts,
      source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
      reportingComponent: this.component, reportingInstance: this.host ?? '',
    };
    await this.client.create(resources.events, namespace, ev);
    this.seen.set(key, { name, namespace, count: 1, at: now.getTime() });
  }
}
