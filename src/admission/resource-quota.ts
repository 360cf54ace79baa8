// ResourceQuota admission: a create that would take a namespace past a quota's hard limit is refused
// with upstream's "exceeded quota" message; an admitted one is charged to the quota's status.used at once
// (as upstream's quota evaluator does), so concurrent creates cannot both slip under the limit. The
// resourcequota controller later recomputes used from the objects themselves.
import type { PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1';
import type { AdmissionAttributes, AdmissionPlugin } from './admission';
import { addQuantities, quotaUsage, type NamespaceObjects } from '../controllers/resourcequota/quota-usage';
import { forbidden } from '../registry/errors';
import { parseQuantity } from '../registry/quantity';
import type { KubeObject } from '../registry/resource-types';

export interface QuotaAccess {
  /** The namespace's quotas, from the watch cache. */
  list(namespace: string): Promise<ResourceQuota[]>;
  /** Read-modify-write of one quota's status (the function may run again on a conflict). */
  updateStatus(namespace: string, name: string, fn: (q: ResourceQuota) => ResourceQuota): Promise<void>;
}

/** The quota name an object of this kind counts under, beside its typed evaluators. */
function countName(a: AdmissionAttributes): string {
  return a.def.group ? `${a.def.plural}.${a.def.group}` : a.def.plural;
}

/** What one new object adds, in the terms of `hard`. */
function delta(a: AdmissionAttributes, obj: KubeObject, hard: Record<string, string>): Record<string, string> {
  const objs: NamespaceObjects = { pods: [], services: [], persistentvolumeclaims: [], counts: new Map([[countName(a), 1]]) };
  if (a.def.group === '' && a.def.plural === 'pods') objs.pods.push(obj as Pod);
  if (a.def.group === '' && a.def.plural === 'services') objs.services.push(obj as Service);
  if (a.def.group === '' && a.def.plural === 'persistentvolumeclaims') objs.persistentvolumeclaims.push(obj as PersistentVolumeClaim);
  const d = quotaUsage(hard, objs);
  for (const [k, v] of Object.entries(d)) if (parseQuantity(v).isZero()) delete d[k];
  return d;
}

const sum = (a: string | undefined, b: string): string => addQuantities(parseQuantity(a ?? '0'), parseQuantity(b)).toString();

const pretty = (m: Record<string, string>): string => Object.keys(m).sort().map((k) => `${k}=${m[k]}`).join(',');

export function resourceQuotaAdmission(quotas: QuotaAccess): AdmissionPlugin {
  return {
    name: 'ResourceQuota',
    async validate(a) {
      if (a.operation !== 'CREATE' || a.subresource !== '' || !a.def.namespaced || !a.object || !a.namespace) return;
      const inNs = await quotas.list(a.namespace);
      if (!inNs.length) return;
      for (const q of inNs) {
        const d = delta(a, a.object, q.spec?.hard ?? {});
        if (!Object.keys(d).length) continue;
        const charge = (cur: ResourceQuota): ResourceQuota => {
          const hard = cur.status?.hard ?? {};
          const used = cur.status?.used ?? {};
          const unknown = Object.keys(d).filter((r) => used[r] === undefined || hard[r] === undefined);
          if (unknown.length) {
            throw forbidden({ group: a.def.group, resource: a.def.plural }, a.name, `status unknown for quota: ${q.metadata?.name}, resources: ${unknown.sort().join(',')}`);
          }
          const next: Record<string, string> = {};
          const over = Object.keys(d).filter((r) => {
            next[r] = sum(used[r], d[r]);
            return parseQuantity(next[r]).cmp(parseQuantity(hard[r])) > 0;
          });
          if (over.length) {
            const pick = (m: Record<string, string>) => Object.fromEntries(over.map((r) => [r, m[r]]));
            throw forbidden({ group: a.def.group, resource: a.def.plural }, a.name,
              `exceeded quota: ${q.metadata?.name}, requested: ${pretty(pick(d))}, used: ${pretty(pick(used))}, limited: ${pretty(pick(hard))}`);
          }
          return { ...cur, status: { ...cur.status, used: { ...used, ...next } } };
        };
        if (a.dryRun) { charge(q); continue; }
        await quotas.updateStatus(a.namespace, q.metadata?.name ?? '', charge);
      }
    },
  };
}
