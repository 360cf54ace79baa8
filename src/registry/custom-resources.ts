// Turns a CustomResourceDefinition into resource-table entries, one per served version: names,
// scope, storage under /registry/<group>/<plural>/ (as upstream keys custom resources), the
// status/scale subresources, printer columns, and a strategy that defaults and validates objects
// against the version's structural schema.
import type { CustomResourceDefinition, CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1';
import { compileValidator } from './crd-schema-validation';
import { applyDefaults } from './crd-defaulting';
import { statusError } from './errors';
import { defineResource } from './resource-table';
import { groupVersion, type KubeObject, type ResourceDef, type ScaleSubresource } from './resource-types';
import type { Schema } from './schema-types';
import { customResourcePrinter } from './printers/custom-resource';
import { nameIsDNSSubdomain } from './validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/object-meta';
import { apiVersionOnlyConversion } from './version-conversion';

/** Upstream's OpenAPI definition name for a custom kind: the group reversed, then version and kind. */
export function customResourceOpenapiName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** The etcd key prefix (under /registry/) a CRD's objects live in, whatever the version. */
export function customResourcePrefix(crd: CustomResourceDefinition): string {
  return `${crd.spec.group}/${crd.spec.names.plural}`;
}

function scaleOf(v: CustomResourceDefinitionVersion): ScaleSubresource | undefined {
  const s = v.subresources?.scale;
  if (!s) return undefined;
  const strip = (p: string) => p.replace(/^\./, '');
  return {
    specReplicasPath: strip(s.specReplicasPath), statusReplicasPath: strip(s.statusReplicasPath),
    ...(s.labelSelectorPath ? { labelSelectorPath: strip(s.labelSelectorPath) } : {}),
  };
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first, others by name last. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return [m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (ra && rb) return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
  if (ra || rb) return ra ? -1 : 1;
  return a.localeCompare(b);
}

/**
 * One entry per served version, in Kubernetes version priority (the first is the preferred one). `terminating` is asked on every create: while the CRD is being
 * deleted its objects can still be read and deleted, but no new ones made.
 */
export function customResourceDefs(crd: CustomResourceDefinition, terminating: () => boolean): ResourceDef[] {
  const { group, names, scope } = crd.spec;
  const namespaced = scope === 'Namespaced';
  const qualified = `${names.plural}.${group}`;
  const storageVersion = crd.spec.versions.find((v) => v.storage)?.name;
  return crd.spec.versions.filter((v) => v.served).sort((a, b) => compareVersions(a.name, b.name)).map((v) => {
    const schema = (v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Schema;
    const validateSchema = compileValidator(schema);
    const hasStatus = v.subresources?.status !== undefined && v.subresources?.status !== null;
    const scale = scaleOf(v);
    return defineResource({
      group, version: v.name, kind: names.kind, listKind: names.listKind ?? `${names.kind}List`, plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(), shortNames: names.shortNames ?? [], categories: names.categories ?? [],
      namespaced, storagePrefix: customResourcePrefix(crd),
      openapiName: customResourceOpenapiName(group, v.name, names.kind),
      subresources: { ...(hasStatus ? { status: true } : {}), ...(scale ? { scale } : {}) },
      hasGeneration: true,
      crdSchema: schema,
      conversion: apiVersionOnlyConversion(groupVersion({ group, version: v.name }), groupVersion({ group, version: storageVersion ?? v.name })),
      printer: customResourcePrinter(v.additionalPrinterColumns),
      strategy: {
        statusKeepsStoredMetadata: 'all',
        defaults: (o: KubeObject) => applyDefaults(o, schema),
        prepareForCreate(o: KubeObject) {
          if (terminating()) {
            throw statusError(405, 'MethodNotAllowed', `create is not supported on resources of kind "${qualified}"`,
              { group, kind: names.plural });
          }
          if (hasStatus) delete o.status;
        },
        validate: (o: KubeObject) => [
          ...validateObjectMeta(o.metadata, namespaced, nameIsDNSSubdomain),
          ...validateSchema(o),
        ],
        validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
      },
    });
  });
}
