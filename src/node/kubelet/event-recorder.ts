// Events the kubelet reports about a pod (Pulled, Created, Started, Killing, BackOff, Unhealthy) as
// core/v1 Events from source kubelet/<node>; a repeat of the same event bumps its count, as upstream's
// recorder aggregates.
import { randomBytes } from 'node:crypto';
import type { Event, ObjectReference, Pod } from 'kubernetes-types/core/v1';
import type { ApiClient } from './api-client';
import { rfc3339 } from './pod-status';

export class EventRecorder {
  private readonly seen = new Map<string, { name: string; namespace: string; count: number }>();

  constructor(private readonly api: ApiClient, private readonly nodeName: string) {}

  /** Records asynchronously; a lost event is never worth failing a pod sync for. */
  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    void this.send(pod, type, reason, message, fieldPath).catch(() => undefined);
  }

  private async send(pod: Pod, type: string, reason: string, message: string, fieldPath?: string): Promise<void> {
    const m = pod.metadata!;
    const ns = m.namespace ?? 'default';
    const key = `${m.uid}\0${fieldPath ?? ''}\0${reason}\0${message}`;
    const now = rfc3339(new Date());
    const prev = this.seen.get(key);
    if (prev) {
      prev.count++;
      await this.api.request('PATCH', `/api/v1/namespaces/${ns}/events/${prev.name}`, { count: prev.count, lastTimestamp: now },
        'application/merge-patch+json');
      return;
    }
    const involved: ObjectReference = {
      kind: 'Pod', namespace: ns, name: m.name, uid: m.uid, apiVersion: 'v1', resourceVersion: m.resourceVersion,
      ...(fieldPath ? { fieldPath } : {}),
    };
    const name = `${m.name}.${randomBytes(8).toString('hex')}`;
    const ev: Event = {
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: ns }, involvedObject: involved, reason, message, type,
      source: { component: 'kubelet', host: this.nodeName }, firstTimestamp: now, lastTimestamp: now, count: 1,
      reportingComponent: 'kubelet', reportingInstance: this.nodeName,
    };
    this.seen.set(key, { name, namespace: ns, count: 1 });
    await this.api.request('POST', `/api/v1/namespaces/${ns}/events`, ev);
  }

  forget(uid: string): void {
    for (const k of [...this.seen.keys()]) if (k.startsWith(`${uid}\0`)) this.seen.delete(k);
  }
}
