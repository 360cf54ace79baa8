// core/v1 Namespace: cluster-scoped; the `kubernetes` finalizer and Active phase on create, the
// automatic kubernetes.io/metadata.name label, and the finalize subresource.
import type { Namespace } from 'kubernetes-types/core/v1';
import { FieldPath, invalidValue, notSupported } from '../field-error';
import { namespacePrinter } from '../printers/simple';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { isQualifiedName, nameIsDNSLabel } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { metaOf } from './object-helpers';

function validateFinalizers(ns: Namespace) {
  const p = FieldPath.root('spec').child('finalizers');
  return (ns.spec?.finalizers ?? []).flatMap((f) => {
    const msgs = isQualifiedName(f);
    if (msgs.length) return msgs.map((m) => invalidValue(p, f, m));
    // Unprefixed finalizers are reserved for kubernetes itself.
    if (!f.includes('/') && f !== 'kubernetes') return [invalidValue(p, f, 'name is neither a standard finalizer name nor is it fully qualified')];
    return [];
  });
}

export function namespaceResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', shortNames: ['ns'],
    namespaced: false, openapiName: 'io.k8s.api.core.v1.Namespace',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: { status: true, others: ['finalize'] },
    strategy: {
      defaults(o: KubeObject) {
        const m = metaOf(o);
        if (m.name) m.labels = { ...(m.labels ?? {}), 'kubernetes.io/metadata.name': m.name };
      },
      prepareForCreate(o: KubeObject) {
        const ns = o as Namespace;
        const fins = ns.spec?.finalizers ?? [];
        ns.spec = { ...(ns.spec ?? {}), finalizers: fins.includes('kubernetes') ? fins : [...fins, 'kubernetes'] };
        o.status = { phase: 'Active' };
      },
      validate: (o: KubeObject) => [...validateObjectMeta(o.metadata, false, nameIsDNSLabel), ...validateFinalizers(o as Namespace)],
      validateUpdate(o: KubeObject, old: KubeObject) {
        const errs = validateObjectMetaUpdate(o.metadata, old.metadata);
        const phase = (o as Namespace).status?.phase;
        if (phase && phase !== 'Active' && phase !== 'Terminating') errs.push(notSupported('status.phase', phase, ['Active', 'Terminating']));
        return errs;
      },
      deletionPending(o: KubeObject) {
        // A namespace stays, Terminating, until the namespace controller has emptied it and finalized.
        const ns = o as Namespace;
        if (!ns.spec?.finalizers?.length) return false;
        o.status = { ...(ns.status ?? {}), phase: 'Terminating' };
        return true;
      },
      heldDeleteConflict: () => 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      fieldAttributes: (o: KubeObject) => ({ 'status.phase': (o as Namespace).status?.phase ?? '' }),
    },
    printer: namespacePrinter,
  });
}
