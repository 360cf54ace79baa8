// The control loop of `kubets ingress`: informer caches of Ingresses, IngressClasses, Services, Endpoints,
// EndpointSlices and TLS Secrets; the route table and certificates rebuilt from them whenever they change
// (requests read the Service and endpoint caches directly, so those are always current); and a work queue
// that writes each served Ingress's status.loadBalancer through the status subresource.
import tls from 'node:tls';
import type { Endpoints, Secret, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, IngressLoadBalancerIngress } from 'kubernetes-types/networking/v1';
import { isNotFound } from '../../client/api-error';
import type { EventRecorder } from '../../client/event-recorder';
import { objectKey, type Informer } from '../../client/informer';
import type { InformerFactory } from '../../client/informer-factory';
import { resources } from '../../client/resource-ref';
import type { RestClient } from '../../client/rest-client';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { isServed } from './ingress-class';
import type { IngressRouter, Resolution } from './ingress-proxy';
import { byAge, RouteTable } from './route-table';
import { RoundRobin, type BackendLookups } from './service-backends';
import { entryForServerName, tlsEntries, type TlsEntry } from './tls-certificates';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface IngressControllerOptions {
  client: RestClient;
  informers: InformerFactory;
  recorder: EventRecorder;
  /** The node address written to status.loadBalancer.ingress. */
  nodeIP: string;
  defaultCert: { certPem: string; keyPem: string };
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export class IngressController implements IngressRouter {
  private readonly ingresses: Informer<Ingress>;
  private readonly classes: Informer<IngressClass>;
  private readonly services: Informer<Service>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly secrets: Informer<Secret>;
  private readonly queue = new WorkQueue('ingress-status');
  private readonly roundRobin = new RoundRobin();
  private readonly lookups: BackendLookups;
  private readonly defaultContext: tls.SecureContext;
  private readonly contexts = new Map<string, tls.SecureContext>();
  private routes = new RouteTable([]);
  private certificates: TlsEntry[] = [];
  private rebuildPending = false;
  /** Problems already reported, so an unchanged problem is not logged or recorded again on every rebuild. */
  private reported = new Set<string>();

  constructor(private readonly o: IngressControllerOptions) {
    const inf = o.informers;
    this.ingresses = inf.for<Ingress>(resources.ingresses);
    this.classes = inf.for<IngressClass>(resources.ingressclasses);
    this.services = inf.for<Service>(resources.services);
    this.endpoints = inf.for<Endpoints>(resources.endpoints);
    this.slices = inf.for<EndpointSlice>(resources.endpointslices);
    this.slices.addIndex('service', (s) => {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      return svc ? [`${s.metadata?.namespace}/${svc}`] : [];
    });
    // Only TLS secrets can back an Ingress; the field selector keeps every other secret out of memory.
    this.secrets = inf.for<Secret>(resources.secrets, { fieldSelector: 'type=kubernetes.io/tls' });
    this.lookups = {
      service: (ns, name) => this.services.get(ns, name),
      slices: (ns, name) => this.slices.byIndex('service', `${ns}/${name}`),
      endpoints: (ns, name) => this.endpoints.get(ns, name),
    };
    this.defaultContext = tls.createSecureContext({ cert: o.defaultCert.certPem, key: o.defaultCert.keyPem });

    const ingressChanged = (ing: Ingress): void => { this.queue.add(objectKey(ing)); this.scheduleRebuild(); };
    for (const ev of ['add', 'update', 'delete'] as const) {
      this.ingresses.on(ev, ingressChanged);
      // A class change can move every Ingress in or out of our hands.
      this.classes.on(ev, () => { for (const ing of this.ingresses.list()) this.queue.add(objectKey(ing)); this.scheduleRebuild(); });
      this.secrets.on(ev, () => this.scheduleRebuild());
    }
  }

  /** Runs the status workers; call after the informers have synced. */
  run(): void {
    this.rebuild();
    for (const ing of this.ingresses.list()) this.queue.add(objectKey(ing));
    void runWorkers(this.queue, 2, (key) => this.reconcileStatus(key),
      (key, err) => this.o.log('status update failed', { ingress: key, err: String(err) }));
  }

  stop(): void { this.queue.shutdown(); }

  resolve(host: string | undefined, path: string): Resolution {
    const target = this.routes.route(host, path);
    if (!target) return { kind: 'not-found' };
    const svc = target.backend.service;
    if (!svc) return { kind: 'unavailable', reason: `ingress ${target.namespace}/${target.ingress}: resource backends are not supported` };
    const s = this.roundRobin.select(this.lookups, target.namespace, svc);
    return s.kind === 'endpoint' ? { kind: 'endpoint', endpoint: s.endpoint, ingress: `${target.namespace}/${target.ingress}` } : s;
  }

  secureContext(serverName: string | undefined): tls.SecureContext {
    const entry = entryForServerName(this.certificates, serverName);
    if (!entry) return this.defaultContext;
    return this.contexts.get(entry.version) ?? this.defaultContext;
  }

  private served(): Ingress[] {
    const classes = this.classes.list();
    return this.ingresses.list().filter((i) => isServed(i, classes)).sort(byAge);
  }

  /** Coalesces a burst of informer events into one rebuild. */
  private scheduleRebuild(): void {
    if (this.rebuildPending) return;
    this.rebuildPending = true;
    setImmediate(() => { this.rebuildPending = false; this.rebuild(); });
  }

  private rebuild(): void {
    const served = this.served();
    this.routes = new RouteTable(served);
    const { entries, problems } = tlsEntries(served, (ns, name) => this.secrets.get(ns, name));
    const usable: TlsEntry[] = [];
    const stillReported = new Set<string>();
    for (const e of entries) {
      let ctx = this.contexts.get(e.version);
      if (!ctx) {
        try {
          ctx = tls.createSecureContext({ cert: e.certPem, key: e.keyPem });
          this.contexts.set(e.version, ctx);
        } catch (err) {
          problems.push(`secret ${e.secret}: ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
      }
      usable.push(e);
    }
    // Contexts of Secrets no longer referenced (or replaced by a newer version) are dropped.
    const live = new Set(usable.map((e) => e.version));
    for (const v of this.contexts.keys()) if (!live.has(v)) this.contexts.delete(v);
    this.certificates = usable;
    for (const p of problems) {
      stillReported.add(p);
      if (!this.reported.has(p)) this.o.log('tls certificate unusable', { problem: p });
    }
    this.reported = stillReported;
  }

  private async reconcileStatus(key: string): Promise<void> {
    const ing = this.ingresses.getByKey(key);
    if (!ing?.metadata?.name) return;
    const current = ing.status?.loadBalancer?.ingress ?? [];
    const ours: IngressLoadBalancerIngress[] = [{ ip: this.o.nodeIP }];
    const mine = isServed(ing, this.classes.list());
    const holdsOurs = JSON.stringify(current) === JSON.stringify(ours);
    let want: IngressLoadBalancerIngress[];
    if (mine) want = ours;
    else if (holdsOurs) want = []; // an Ingress moved to another class no longer carries our address
    else return;
    if (JSON.stringify(current) === JSON.stringify(want)) return;
    try {
      await this.o.client.patch(resources.ingresses, ing.metadata.namespace, ing.metadata.name,
        { status: { loadBalancer: { ingress: want } } }, 'merge', 'status');
      if (mine) this.o.recorder.event(ing, 'Normal', 'Sync', 'Scheduled for sync');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
