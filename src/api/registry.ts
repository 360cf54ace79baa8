// The apiserver's wiring of storage to the resource table: one generic store per resource, the
// shared cache feed, admission and schema services, handed to every request handler.
import type { Etcd3 } from 'etcd3';
import type { ResourceTable } from '../registry/resource-table';
import type { ResourceDef } from '../registry/resource-types';
import { supportedFieldLabels } from '../registry/field-selector';
import { defineResource } from '../registry/resource-table';
import { scalePrinter } from '../registry/printers/workloads';
import { GenericStore } from '../registry/generic-store';
import type { CacheFeed } from '../registry/cache-feed';
import type { AdmissionChain } from '../admission/admission';
import type { SchemaServices } from './schema-services';

/** Kinds whose PUT creates a missing object, as upstream's AllowCreateOnUpdate says. */
const createOnUpdate = new Set(['Endpoints', 'Event', 'Lease', 'Node', 'EndpointSlice']);

export class Registry {
  // Weak: a CRD's entries leave the table when it changes or goes, and their stores with them.
  private readonly stores = new WeakMap<ResourceDef, GenericStore>();
  private readonly labels = new WeakMap<ResourceDef, Set<string>>();
  private readonly scale = defineResource({ group: 'autoscaling', version: 'v1', kind: 'Scale', plural: 'scales', namespaced: true, openapiName: 'io.k8s.api.autoscaling.v1.Scale', printer: scalePrinter });

  constructor(
    readonly etcd: Etcd3,
    readonly feed: CacheFeed,
    readonly table: ResourceTable,
    readonly admission: AdmissionChain,
    readonly schemas: SchemaServices,
  ) {}

  store(def: ResourceDef): GenericStore {
    let s = this.stores.get(def);
    if (!s) { s = new GenericStore(this.etcd, this.feed, def); this.stores.set(def, s); }
    return s;
  }

  storeFor(group: string, version: string, plural: string): GenericStore {
    const def = this.table.lookup(group, version, plural);
    if (!def) throw new Error(`resource ${group}/${version}/${plural} is not in the table`);
    return this.store(def);
  }

  /** Field labels a field selector may use for this resource. */
  fieldLabels(def: ResourceDef): Set<string> {
    let s = this.labels.get(def);
    if (!s) {
      s = new Set(supportedFieldLabels(def));
      this.labels.set(def, s);
    }
    return s;
  }

  allowCreateOnUpdate(def: ResourceDef): boolean { return createOnUpdate.has(def.kind); }

  scaleDef(): ResourceDef { return this.scale; }
}
