// apiextensions.k8s.io/v1 CustomResourceDefinition: defaults, validation, storedVersions, and the
// first delete that (as upstream's CRD REST does) adds the cleanup finalizer and the Terminating
// condition, so the CRD stays until its custom resources are gone (see src/api/crd-lifecycle.ts).
import type {
  CustomResourceDefinition, CustomResourceDefinitionCondition, CustomResourceDefinitionStatus,
} from 'kubernetes-types/apiextensions/v1';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Writable } from '../resource-types';
import { nowTimestamp } from '../object-meta';
import { customResourceDefinitionPrinter } from '../printers/custom-resource';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from '../validation/crd';

export const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

type Crd = Writable<CustomResourceDefinition>;

/** Upstream's SetDefaults for v1 CRDs: singular, listKind and the None conversion strategy. */
export function defaultCustomResourceDefinition(crd: Crd): void {
  const spec = crd.spec;
  if (!spec) return;
  const names = spec.names;
  if (names?.kind) {
    if (!names.singular) (names as Writable<typeof names>).singular = names.kind.toLowerCase();
    if (!names.listKind) (names as Writable<typeof names>).listKind = `${names.kind}List`;
  }
  if (!spec.conversion) (spec as Writable<typeof spec>).conversion = { strategy: 'None' };
  const svc = spec.conversion?.webhook?.clientConfig?.service;
  if (svc && svc.port === undefined) (svc as Writable<typeof svc>).port = 443;
}

function addStorageVersion(crd: Crd): void {
  const status = (crd.status ??= {} as CustomResourceDefinitionStatus) as Writable<CustomResourceDefinitionStatus>;
  const stored = [...(status.storedVersions ?? [])];
  for (const v of crd.spec?.versions ?? []) if (v.storage && !stored.includes(v.name)) stored.push(v.name);
  status.storedVersions = stored;
}

/** Sets (or replaces) one condition, moving lastTransitionTime only when the status changes. */
export function setCondition(crd: Crd, cond: Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'>): void {
  const status = (crd.status ??= {} as CustomResourceDefinitionStatus) as Writable<CustomResourceDefinitionStatus>;
  const conds = [...(status.conditions ?? [])];
  const i = conds.findIndex((c) => c.type === cond.type);
  const lastTransitionTime = i >= 0 && conds[i].status === cond.status ? conds[i].lastTransitionTime : nowTimestamp();
  const next = { ...cond, lastTransitionTime };
  if (i >= 0) conds[i] = next; else conds.push(next);
  status.conditions = conds;
}

export function customResourceDefinitionResource(): ResourceDef {
  return defineResource({
    group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions',
    shortNames: ['crd', 'crds'], categories: ['api-extensions'], namespaced: false,
    storagePrefix: 'apiextensions.k8s.io/customresourcedefinitions',
    openapiName: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    subresources: { status: true }, hasGeneration: true,
    strategy: {
      defaults: (o: KubeObject) => defaultCustomResourceDefinition(o as Crd),
      prepareForCreate(o: KubeObject) {
        const crd = o as Crd;
        crd.status = { acceptedNames: { kind: '', plural: '' }, storedVersions: [] };
        addStorageVersion(crd);
      },
      prepareForUpdate: (o: KubeObject) => addStorageVersion(o as Crd),
      // A request body may lack spec, which the type says is always there: validation reports it.
      validate: (o: KubeObject) => validateCustomResourceDefinition(o as unknown as CustomResourceDefinition),
      validateUpdate: (o: KubeObject, old: KubeObject) =>
        validateCustomResourceDefinitionUpdate(o as unknown as CustomResourceDefinition, old as unknown as CustomResourceDefinition),
      deletionPending(o: KubeObject) {
        const crd = o as Crd;
        const meta = crd.metadata ?? {};
        if (meta.deletionTimestamp) return false;
        if (!(meta.finalizers ?? []).includes(crdCleanupFinalizer)) meta.finalizers = [...(meta.finalizers ?? []), crdCleanupFinalizer];
        setCondition(crd, {
          type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending',
          message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
        });
        return true;
      },
    },
    printer: customResourceDefinitionPrinter,
  });
}
