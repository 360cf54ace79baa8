// Keeps the node's view of Services and their backends current from the API (informers on Services and
// on EndpointSlices when discovery.k8s.io/v1 serves them, else on core/v1 Endpoints) and reports which
// Services changed, so the proxy and DNS can rebuild only what moved.
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { APIResourceList } from 'kubernetes-types/meta/v1';
import type { Informer } from '../client/informer';
import type { InformerFactory } from '../client/informer-factory';
import { resources } from '../client/resource-ref';
import type { RestClient } from '../client/rest-client';
import {
  endpointsToSlices, serviceKey, sliceServiceKey, type ServiceBackends,
} from './service-backends';

export type BackendSource = 'endpointslices' | 'endpoints';

/** Whether the apiserver serves discovery.k8s.io/v1 endpointslices (else the components read Endpoints). */
export async function backendSource(client: RestClient): Promise<BackendSource> {
  try {
    const list = await client.request<APIResourceList>('GET', '/apis/discovery.k8s.io/v1');
    return list.resources.some((r) => r.name === 'endpointslices') ? 'endpointslices' : 'endpoints';
  } catch {
    return 'endpoints';
  }
}

export class ServiceWatch {
  private readonly services: Informer<Service>;
  private readonly slices?: Informer<EndpointSlice>;
  private readonly endpoints?: Informer<Endpoints>;
  private readonly listeners: ((key: string) => void)[] = [];

  constructor(informers: InformerFactory, readonly source: BackendSource) {
    this.services = informers.for<Service>(resources.services);
    const notify = (key: string | undefined) => { if (key) for (const l of this.listeners) l(key); };
    const ofObject = (o: Service | Endpoints) => serviceKey(o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    for (const ev of ['add', 'update', 'delete'] as const) this.services.on(ev, (s) => notify(ofObject(s)));
    if (source === 'endpointslices') {
      this.slices = informers.for<EndpointSlice>(resources.endpointslices);
      this.slices.addIndex('service', (s) => { const k = sliceServiceKey(s); return k ? [k] : []; });
      for (const ev of ['add', 'update', 'delete'] as const) this.slices.on(ev, (s) => notify(sliceServiceKey(s)));
    } else {
      this.endpoints = informers.for<Endpoints>(resources.endpoints);
      for (const ev of ['add', 'update', 'delete'] as const) this.endpoints.on(ev, (e) => notify(ofObject(e)));
    }
  }

  /** Called with a Service's `namespace/name` whenever it or its backends change (or it goes away). */
  onChange(listener: (key: string) => void): void { this.listeners.push(listener); }

  /** The Service and its slices, or undefined when the Service does not exist. */
  get(key: string): ServiceBackends | undefined {
    const service = this.services.getByKey(key);
    return service ? { service, slices: this.slicesOf(key) } : undefined;
  }

  all(): ServiceBackends[] {
    return this.services.list().map((service) => ({
      service, slices: this.slicesOf(serviceKey(service.metadata?.namespace ?? '', service.metadata?.name ?? '')),
    }));
  }

  private slicesOf(key: string): EndpointSlice[] {
    if (this.slices) return this.slices.byIndex('service', key);
    const ep = this.endpoints?.getByKey(key);
    return ep ? endpointsToSlices(ep) : [];
  }
}
