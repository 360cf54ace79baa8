// NamespaceLifecycle: no new objects in a namespace that does not exist or is terminating, and the
// system namespaces cannot be deleted; messages as upstream's plugin words them.
import type { AdmissionPlugin } from './admission';
import type { KubeObject } from '../registry/resource-types';
import { forbidden, notFound } from '../registry/errors';

export const immortalNamespaces = ['default', 'kube-system', 'kube-public'];

export function namespaceLifecycle(lookup: (name: string) => Promise<KubeObject | undefined>): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(a) {
      if (a.def.group === '' && a.def.plural === 'namespaces') {
        if (a.operation === 'DELETE' && immortalNamespaces.includes(a.name)) {
          throw forbidden({ group: '', resource: 'namespaces' }, a.name, 'this namespace may not be deleted');
        }
        return;
      }
      if (!a.def.namespaced || a.operation !== 'CREATE' || !a.namespace) return;
      const ns = await lookup(a.namespace);
      if (!ns) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
        // Subresources and events of objects already there are still allowed, as upstream.
        if (a.subresource === '' && !(a.def.plural === 'events')) {
          throw forbidden({ group: a.def.group, resource: a.def.plural }, a.name,
            `unable to create new content in namespace ${a.namespace} because it is being terminated`);
        }
      }
    },
  };
}
