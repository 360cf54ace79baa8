// ResourceQuota admission: a create that would take a namespace past a quota's hard limit is refused
// with upstream's "exceeded quota" message (and a pod that leaves out a quota'd cpu/memory figure with
// its "must specify" one); an admitted create is charged to the quota's status.used at once (as
// upstream's quota evaluator does), so concurrent creates cannot both slip under the limit. The
// resourcequota controller later recomputes used from the objects themselves.
import type { PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1';
import type { AdmissionAttributes, AdmissionPlugin } from './admission';
import { podInScopes, quotaScopeSelectors } from '../controllers/resourcequota/quota-scopes';
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

const isCore = (a: AdmissionAttributes, plural: string) => a.def.group === '' && a.def.plural === plural;

/** What one new object adds, in the terms of `hard`, under the quota's scopes. */
function delta(a: AdmissionAttributes, obj: KubeObject, q: ResourceQuota): Record<string, string> {
  const objs: NamespaceObjects = { pods: [], services: [], persistentvolumeclaims: [], counts: new Map([[countName(a), 1]]) };
  if (isCore(a, 'pods')) objs.pods.push(obj as Pod);
  if (isCore(a, 'services')) objs.services.push(obj as Service);
  if (isCore(a, 'persistentvolumeclaims')) objs.persistentvolumeclaims.push(obj as PersistentVolumeClaim);
  const d = quotaUsage(q.status?.hard ?? {}, objs, Date.now(), quotaScopeSelectors(q));
  for (const [k, v] of Object.entries(d)) if (parseQuantity(v).isZero()) delete d[k];
  return d;
}

/**
 * Upstream's backward-compatibility rule: when a quota limits cpu or memory requests or limits, every
 * container must state them. Returns upstream's "must specify" text, or undefined.
 */
function missingCompute(pod: Pod, hard: Record<string, string>): string | undefined {
  const required = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter((r) => hard[r] !== undefined);
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const r of required) {
      const [kind, resource] = r.includes('.') ? r.split('.') as ['requests' | 'limits', string] : ['requests' as const, r];
      if (c.resources?.[kind]?.[resource] !== undefined) continue;
      missing.set(r, (missing.get(r) ?? new Set()).add(c.name));
    }
  }
  if (!missing.size) return undefined;
  return `must specify ${[...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`).join('; ')}`;
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
      const refuse = (message: string) => forbidden({ group: a.def.group, resource: a.def.plural }, a.name, message);
      // Upstream admits the defaulted object (a container's requests default to its limits); here defaulting
      // happens later, in the store, so the quota looks at a defaulted copy.
      const obj = structuredClone(a.object);
      a.def.strategy.defaults?.(obj);
      const isPod = isCore(a, 'pods');
      const pod = obj as Pod;
      // As upstream, a quota takes part by its status.hard (a quota the controller has not seen yet does not
      // limit anything), and a scoped quota only tracks the pods in its scopes.
      const relevant = inNs.filter((q) => {
        const scopes = quotaScopeSelectors(q);
        return Object.keys(q.status?.hard ?? {}).length > 0 && (scopes.length === 0 || (isPod && podInScopes(pod, scopes)));
      });
      if (isPod) {
        for (const q of relevant) {
          const missing = missingCompute(pod, q.status?.hard ?? {});
          if (missing) throw refuse(`failed quota: ${q.metadata?.name}: ${missing}`);
        }
      }

      /** Checks one quota's current status against the object's delta; the status with the charge added. */
      const charge = (cur: ResourceQuota, d: Record<string, string>): ResourceQuota => {
        const hard = cur.status?.hard ?? {};
        const used = cur.status?.used ?? {};
        const unknown = Object.keys(d).filter((r) => used[r] === undefined || hard[r] === undefined);
        if (unknown.length) throw refuse(`status unknown for quota: ${cur.metadata?.name}, resources: ${unknown.sort().join(',')}`);
        const next: Record<string, string> = {};
        const over = Object.keys(d).filter((r) => {
          next[r] = sum(used[r], d[r]);
          return parseQuantity(next[r]).cmp(parseQuantity(hard[r])) > 0;
        });
        if (over.length) {
          const pick = (m: Record<string, string>) => Object.fromEntries(over.map((r) => [r, m[r]]));
          throw refuse(`exceeded quota: ${cur.metadata?.name}, requested: ${pretty(pick(d))}, used: ${pretty(pick(used))}, limited: ${pretty(pick(hard))}`);
        }
        return { ...cur, status: { ...cur.status, used: { ...used, ...next } } };
      };

      const charged = relevant.map((q) => ({ q, d: delta(a, obj, q) })).filter(({ d }) => Object.keys(d).length > 0);
      // Every quota is checked before any is charged, so a refusal by one leaves the others' usage as it was.
      for (const { q, d } of charged) charge(q, d);
      if (a.dryRun) return;
      for (const { q, d } of charged) await quotas.updateStatus(a.namespace, q.metadata?.name ?? '', (cur) => charge(cur, d));
    },
  };
}
