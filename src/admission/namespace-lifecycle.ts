// NamespaceLifecycle: no new objects in a namespace that does not exist or is terminating, and the
// system namespaces cannot be deleted; messages as upstream's plugin words them.
import type { AdmissionAttributes, AdmissionPlugin } from './admission';
import type { KubeObject } from '../registry/resource-types';
import { forbidden, notFound } from '../registry/errors';

export const immortalNamespaces = ['default', 'kube-system', 'kube-public'];

/** A namespace by name: at once when cached, else a promise (read from etcd). */
export type NamespaceLookup = (name: string) => KubeObject | undefined | Promise<KubeObject | undefined>;

export function namespaceLifecycle(lookup: NamespaceLookup): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    validate(a) {
      if (a.def.group === '' && a.def.plural === 'namespaces') {
        if (a.operation === 'DELETE' && immortalNamespaces.includes(a.name)) {
          throw forbidden({ group: '', resource: 'namespaces' }, a.name, 'this namespace may not be deleted');
        }
        return;
      }
      if (!a.def.namespaced || a.operation !== 'CREATE' || !a.namespace) return;
      const found = lookup(a.namespace);
      // The cached answer is checked without a turn of the event loop: every namespaced create comes here.
      if (found instanceof Promise) return found.then((ns) => checkNamespace(a, ns));
      checkNamespace(a, found);
    },
  };
}

function checkNamespace(a: AdmissionAttributes, ns: KubeObject | undefined): void {
  if (!ns) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
  const phase = (ns.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
    // Subresources and events of objects already there are still allowed, as upstream.
    if (a.subresource === '' && !(a.def.plural === 'events')) {
      throw forbidden({ group: a.def.group, resource: a.def.plural }, a.name,
        `unable to create new content in namespace ${a.namespace} because it is being terminated`);
    }
  }
}
