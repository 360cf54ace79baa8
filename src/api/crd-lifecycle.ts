// The apiserver's own CRD controllers, as upstream runs them inside kube-apiserver: keeps the
// resource table serving every stored CRD (at start and as CRDs change), sets NamesAccepted and
// Established with status.acceptedNames, and on deletion removes every custom resource before
// dropping the cleanup finalizer, after which the resource stops being served.
import type { CustomResourceDefinition, CustomResourceDefinitionNames } from 'kubernetes-types/apiextensions/v1';
import type { Registry } from './registry';
import { cacheSpecOf } from '../registry/cache-feed';
import { customResourceDefs, customResourcePrefix } from '../registry/custom-resources';
import { crdCleanupFinalizer, setCondition } from '../registry/resources/crd';
import type { KubeObject, ResourceDef, Writable } from '../registry/resource-types';
import { clone, deepEqual } from '../registry/object-meta';
import type { GenericStore } from '../registry/generic-store';
import { logger } from '../log';

type Crd = Writable<CustomResourceDefinition>;

interface Served { group: string; plural: string; prefix: string; signature: string }

const retryMs = 1000;

export class CrdLifecycle {
  private readonly served = new Map<string, Served>();
  private readonly pending = new Set<string>();
  private busy: Promise<void> | undefined;
  private readonly crds: GenericStore;

  constructor(private readonly reg: Registry) {
    this.crds = reg.storeFor('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  }

  /** Serves every CRD already stored, then follows changes through the CRD watch cache. */
  async start(): Promise<void> {
    const cache = this.crds.resourceCache();
    cache.addWatcher({ predicate: () => true, deliver: (_type, o) => this.enqueue(o.name) });
    for (const o of cache.list(undefined, () => true)) this.enqueue(o.name);
    await this.busy;
  }

  private enqueue(name: string): void {
    this.pending.add(name);
    if (this.busy) return;
    this.busy = (async () => {
      try {
        while (this.pending.size) {
          const [next] = this.pending;
          this.pending.delete(next);
          try {
            await this.reconcile(next);
          } catch (err) {
            logger.warn({ crd: next, err: String(err) }, 'CRD reconcile failed; retrying');
            setTimeout(() => this.enqueue(next), retryMs);
          }
        }
      } finally {
        this.busy = undefined;
      }
    })();
  }

  private async reconcile(name: string): Promise<void> {
    let crd: Crd;
    try {
      crd = await this.crds.getObject(undefined, name) as Crd;
    } catch (e) {
      if ((e as { code?: number }).code === 404) { this.unserve(name); return; }
      throw e;
    }
    if (crd.metadata?.deletionTimestamp) return this.terminate(crd);
    const accepted = this.namesConflict(crd);
    const next = clone(crd);
    const status = (next.status ??= { storedVersions: [] }) as Writable<NonNullable<Crd['status']>>;
    if (accepted === undefined) {
      status.acceptedNames = crd.spec.names;
      setCondition(next, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
      // Serve before reporting Established, so `kubectl wait --for=condition=Established` means usable.
      await this.serve(crd, false);
      setCondition(next, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
    } else {
      setCondition(next, { type: 'NamesAccepted', status: 'False', reason: 'NotAccepted', message: accepted });
      if (!status.conditions?.some((c) => c.type === 'Established')) {
        setCondition(next, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' });
      }
    }
    await this.writeStatus(crd, next);
  }

  /** Why the CRD's names clash with another CRD's accepted names in the same group, if they do. */
  private namesConflict(crd: Crd): string | undefined {
    const mine = crd.spec.names;
    for (const o of this.crds.resourceCache().list(undefined, () => true)) {
      if (o.name === crd.metadata?.name) continue;
      const other = JSON.parse(o.json) as CustomResourceDefinition;
      if (other.spec?.group !== crd.spec.group) continue;
      const theirs: Partial<CustomResourceDefinitionNames> = other.status?.acceptedNames ?? {};
      if (theirs.plural === mine.plural) return `"${mine.plural}" is already in use`;
      if (theirs.singular && theirs.singular === mine.singular) return `"${mine.singular}" is already in use`;
      if (theirs.kind === mine.kind) return `"${mine.kind}" is already in use`;
      if (mine.listKind && theirs.listKind === mine.listKind) return `"${mine.listKind}" is already in use`;
      for (const s of mine.shortNames ?? []) if ((theirs.shortNames ?? []).includes(s)) return `"${s}" is already in use`;
    }
    return undefined;
  }

  private async writeStatus(crd: Crd, next: Crd): Promise<void> {
    if (deepEqual(next.status, crd.status)) return;
    await this.crds.update(undefined, crd.metadata?.name ?? '', (cur) => ({ ...cur, status: next.status }), { subresource: 'status' });
  }

  /** Puts (or refreshes) the CRD's served versions in the table; the watch cache comes first. */
  private async serve(crd: Crd, terminating: boolean): Promise<void> {
    const name = crd.metadata?.name ?? '';
    const signature = JSON.stringify([crd.spec, terminating]);
    const current = this.served.get(name);
    if (current?.signature === signature) return;
    const defs: ResourceDef[] = customResourceDefs(crd, () => terminating);
    const prefix = customResourcePrefix(crd);
    if (defs.length) await this.reg.feed.add(cacheSpecOf(defs[0]));
    if (current) this.reg.table.remove(current.group, current.plural);
    for (const d of defs) this.reg.table.add(d);
    this.served.set(name, { group: crd.spec.group, plural: crd.spec.names.plural, prefix, signature });
  }

  private unserve(name: string): void {
    const s = this.served.get(name);
    if (!s) return;
    this.reg.table.remove(s.group, s.plural);
    this.reg.feed.remove(s.prefix);
    this.served.delete(name);
  }

  /** Deletes every object of a CRD being deleted, then lets the CRD go by dropping the finalizer. */
  private async terminate(crd: Crd): Promise<void> {
    if (!(crd.metadata?.finalizers ?? []).includes(crdCleanupFinalizer)) return;
    const name = crd.metadata?.name ?? '';
    if (this.served.has(name)) await this.serve(crd, true);
    const next = clone(crd);
    setCondition(next, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
    await this.writeStatus(crd, next);
    const def = this.reg.table.all().find((d) => d.storagePrefix === customResourcePrefix(crd));
    if (def) {
      const store = this.reg.store(def);
      const listed = await store.list(undefined, { predicate: () => true, filtered: false, resourceVersion: '' });
      for (const text of listed.items) {
        const o = JSON.parse(text) as KubeObject;
        try {
          await store.delete(o.metadata?.namespace || undefined, o.metadata?.name ?? '');
        } catch (e) {
          if ((e as { code?: number }).code !== 404) throw e;
        }
      }
      const left = await store.list(undefined, { predicate: () => true, filtered: false, resourceVersion: '' });
      if (left.items.length) {
        // Objects with finalizers of their own stay until their controllers let them go.
        setTimeout(() => this.enqueue(name), retryMs);
        return;
      }
    }
    await this.crds.update(undefined, name, (cur) => {
      const meta = cur.metadata ?? {};
      meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== crdCleanupFinalizer);
      return cur;
    });
  }
}
