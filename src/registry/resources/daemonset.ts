// apps/v1 DaemonSet: defaults (RollingUpdate 1/0), validation, immutable selector, the template
// generation annotation upstream keeps, and status.
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { FieldPath } from '../field-error';
import { deepEqual } from '../object-meta';
import { daemonSetPrinter } from '../printers/workloads';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateDaemonSetSpec } from '../validation/daemonset';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validateSelectorImmutable } from '../validation/workload';
import { metaOf } from './object-helpers';
import { defaultDaemonSet } from './workload-defaults';

/** apps/v1 carries the internal spec.templateGeneration in this annotation. */
const templateGenerationKey = 'deprecated.daemonset.template.generation';

export function validateDaemonSet(d: DaemonSet) {
  return [...validateObjectMeta(d.metadata, true, nameIsDNSSubdomain), ...validateDaemonSetSpec(d)];
}

export function daemonSetResource(): ResourceDef {
  return defineResource({
    group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', shortNames: ['ds'], categories: ['all'],
    namespaced: true, openapiName: 'io.k8s.api.apps.v1.DaemonSet', hasGeneration: true,
    subresources: { status: true },
    strategy: {
      defaults: (o: KubeObject) => defaultDaemonSet(o as DaemonSet),
      prepareForCreate(o: KubeObject) {
        o.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
        const md = metaOf(o);
        md.annotations = { ...md.annotations, [templateGenerationKey]: '1' };
      },
      prepareForUpdate(o: KubeObject, old: KubeObject) {
        // A changed template is a new template generation, as upstream's strategy counts it.
        const prev = Number(old.metadata?.annotations?.[templateGenerationKey] ?? '1') || 1;
        const changed = !deepEqual((o as DaemonSet).spec?.template, (old as DaemonSet).spec?.template);
        const md = metaOf(o);
        md.annotations = { ...md.annotations, [templateGenerationKey]: String(changed ? prev + 1 : prev) };
      },
      validate: (o: KubeObject) => validateDaemonSet(o as DaemonSet),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateSelectorImmutable((o as DaemonSet).spec?.selector, (old as DaemonSet).spec?.selector, FieldPath.root('spec').child('selector')),
      ],
    },
    printer: daemonSetPrinter,
  });
}
