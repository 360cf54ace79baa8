// LimitRange and ResourceQuota validation (upstream ValidateLimitRange / ValidateResourceQuotaSpec):
// resource names, non-negative and integer quantities, min <= default request <= default <= max,
// per-type rules and quota scopes.
import type { LimitRange, ResourceQuota } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, duplicate, forbiddenField, invalidValue } from '../field-error';
import { parseQuantity, type Quantity } from '../quantity';
import { goQuantity, invalidRendered } from './go-format';
import { isQualifiedName } from './names';

const standardLimitTypes = ['Pod', 'Container', 'PersistentVolumeClaim'];
const integerQuotaResources = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);
const standardQuotaResources = new Set([...integerQuotaResources, 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu',
  'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage']);
const quotaScopes = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];

function quantity(v: unknown): Quantity | undefined {
  try { return parseQuantity(v as string | number); } catch { return undefined; }
}

function validateQualified(name: string, p: FieldPath): FieldError[] {
  return isQualifiedName(name).map((m) => invalidValue(p, name, m));
}

function validateNonNegativeQuantity(v: unknown, p: FieldPath): FieldError[] {
  const q = quantity(v);
  return q && q.negative ? [invalidValue(p, q.toString(), 'must be greater than or equal to 0')] : [];
}

export function validateLimitRangeSpec(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec').child('limits');
  const types = new Set<string>();
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const ip = p.index(i);
    const type = item.type ?? '';
    const tp = ip.child('type');
    const typeErrs = validateQualified(type, tp);
    errs.push(...typeErrs);
    if (!typeErrs.length && !type.includes('/') && !standardLimitTypes.includes(type)) {
      errs.push(invalidValue(tp, type, 'must be a standard limit type or fully qualified'));
    }
    if (types.has(type)) errs.push(duplicate(tp, type));
    types.add(type);
    const lists = { max: item.max, min: item.min, default: item.default, defaultRequest: item.defaultRequest, maxLimitRequestRatio: item.maxLimitRequestRatio };
    const parsed: Record<string, Map<string, Quantity>> = {};
    for (const [field, list] of Object.entries(lists)) {
      const m = new Map<string, Quantity>();
      for (const [r, v] of Object.entries(list ?? {})) {
        errs.push(...validateQualified(r, ip.child(field).key(r)));
        const q = quantity(v);
        if (q) m.set(r, q);
      }
      parsed[field] = m;
    }
    if (type === 'Pod') {
      if (parsed.default.size) errs.push(forbiddenField(ip.child('default'), "may not be specified when `type` is 'Pod'"));
      if (parsed.defaultRequest.size) errs.push(forbiddenField(ip.child('defaultRequest'), "may not be specified when `type` is 'Pod'"));
    }
    const keys = new Set([...parsed.max.keys(), ...parsed.min.keys(), ...parsed.default.keys(), ...parsed.defaultRequest.keys()]);
    for (const k of keys) {
      const [min, max, def, defReq] = [parsed.min.get(k), parsed.max.get(k), parsed.default.get(k), parsed.defaultRequest.get(k)];
      const at = (f: string) => ip.child(f).key(k);
      if (min && max && min.cmp(max) > 0) errs.push(invalidRendered(at('min'), min.toString(), goQuantity(min.toString()), `min value ${min} is greater than max value ${max}`));
      if (defReq && min && min.cmp(defReq) > 0) errs.push(invalidRendered(at('defaultRequest'), defReq.toString(), goQuantity(defReq.toString()), `min value ${min} is greater than default request value ${defReq}`));
      if (defReq && max && defReq.cmp(max) > 0) errs.push(invalidRendered(at('defaultRequest'), defReq.toString(), goQuantity(defReq.toString()), `default request value ${defReq} is greater than max value ${max}`));
      if (defReq && def && defReq.cmp(def) > 0) errs.push(invalidRendered(at('defaultRequest'), defReq.toString(), goQuantity(defReq.toString()), `default request value ${defReq} is greater than default limit value ${def}`));
      if (def && min && min.cmp(def) > 0) errs.push(invalidRendered(at('default'), min.toString(), goQuantity(min.toString()), `min value ${min} is greater than default value ${def}`));
      if (def && max && def.cmp(max) > 0) errs.push(invalidRendered(at('default'), max.toString(), goQuantity(max.toString()), `default value ${def} is greater than max value ${max}`));
    }
  });
  return errs;
}

export function validateResourceQuotaSpec(rq: ResourceQuota): FieldError[] {
  const errs: FieldError[] = [];
  const sp = FieldPath.root('spec');
  for (const [r, v] of Object.entries(rq.spec?.hard ?? {})) {
    const rp = sp.child('hard').key(r);
    const nameErrs = validateQualified(r, rp);
    errs.push(...nameErrs);
    if (!nameErrs.length && !r.includes('/') && !standardQuotaResources.has(r) && !r.startsWith('hugepages-') && !r.startsWith('requests.hugepages-')) {
      errs.push(invalidRendered(rp, r, r, 'must be a standard resource for quota'));
    }
    errs.push(...validateNonNegativeQuantity(v, rp));
    const q = quantity(v);
    if (q && (integerQuotaResources.has(r) || r.startsWith('count/')) && q.milliValue() % 1000 !== 0) {
      errs.push(invalidRendered(rp, q.toString(), goQuantity(q.toString()), 'must be an integer'));
    }
  }
  for (const s of rq.spec?.scopes ?? []) {
    if (!quotaScopes.includes(s)) {
      errs.push(invalidValue(sp.child('scopes'), rq.spec?.scopes, 'unsupported scope'));
      break;
    }
  }
  return errs;
}
