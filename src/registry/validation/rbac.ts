// rbac.authorization.k8s.io/v1 validation: policy rules (verbs required, resource vs non-resource),
// aggregation selectors, roleRef (kind, apiGroup, immutable) and subjects by kind.
import type { AggregationRule, PolicyRule, RoleRef, Subject } from 'kubernetes-types/rbac/v1';
import { FieldError, FieldPath, invalidValue, notSupported, required } from '../field-error';
import { goStringSlice, invalidRendered } from './go-format';
import { validateLabelSelector } from './label-selector';
import { nameIsDNSSubdomain, nameIsPathSegment } from './names';

export const rbacGroup = 'rbac.authorization.k8s.io';

/** RBAC object names only need to be usable as URL path segments. */
export const rbacNameValidator = nameIsPathSegment;

export function validatePolicyRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((r, i) => {
    const p = FieldPath.root('rules').index(i);
    if ((r.verbs ?? []).length === 0) errs.push(required(p.child('verbs'), 'verbs must contain at least one value'));
    const urls = r.nonResourceURLs ?? [];
    if (urls.length > 0) {
      const shown = goStringSlice(urls);
      if (namespaced) errs.push(invalidRendered(p.child('nonResourceURLs'), urls, shown, 'namespaced rules cannot apply to non-resource URLs'));
      if ((r.apiGroups ?? []).length || (r.resources ?? []).length || (r.resourceNames ?? []).length) {
        errs.push(invalidRendered(p.child('nonResourceURLs'), urls, shown, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if ((r.apiGroups ?? []).length === 0) errs.push(required(p.child('apiGroups'), 'resource rules must supply at least one api group'));
    if ((r.resources ?? []).length === 0) errs.push(required(p.child('resources'), 'resource rules must supply at least one resource'));
  });
  return errs;
}

export function validateAggregationRule(rule: AggregationRule | undefined): FieldError[] {
  if (!rule) return [];
  const p = FieldPath.root('aggregationRule').child('clusterRoleSelectors');
  const sels = rule.clusterRoleSelectors ?? [];
  if (sels.length === 0) return [required(p, 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  return sels.flatMap((s, i) => validateLabelSelector(s, p.index(i)));
}

export function validateRoleRef(ref: RoleRef | undefined, kinds: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('roleRef');
  const r = ref ?? { apiGroup: '', kind: '', name: '' };
  if (r.apiGroup !== rbacGroup) errs.push(notSupported(p.child('apiGroup'), r.apiGroup ?? '', [rbacGroup]));
  if (!kinds.includes(r.kind)) errs.push(notSupported(p.child('kind'), r.kind ?? '', kinds));
  if (!r.name) errs.push(required(p.child('name')));
  else for (const m of rbacNameValidator(r.name, false)) errs.push(invalidValue(p.child('name'), r.name, m));
  return errs;
}

export function validateRoleRefUnchanged(ref: RoleRef | undefined, old: RoleRef | undefined): FieldError[] {
  const n = ref ?? { apiGroup: '', kind: '', name: '' };
  const o = old ?? { apiGroup: '', kind: '', name: '' };
  if (n.apiGroup === o.apiGroup && n.kind === o.kind && n.name === o.name) return [];
  return [invalidRendered('roleRef', n, `rbac.RoleRef{APIGroup:${JSON.stringify(n.apiGroup)}, Kind:${JSON.stringify(n.kind)}, Name:${JSON.stringify(n.name)}}`, 'cannot change roleRef')];
}

export function validateSubjects(subjects: Subject[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (subjects ?? []).forEach((s, i) => {
    const p = FieldPath.root('subjects').index(i);
    if (!s.name) errs.push(required(p.child('name')));
    const group = s.apiGroup ?? '';
    switch (s.kind) {
      case 'ServiceAccount':
        if (s.name) for (const m of nameIsDNSSubdomain(s.name, false)) errs.push(invalidValue(p.child('name'), s.name, m));
        if (group) errs.push(notSupported(p.child('apiGroup'), group, ['']));
        if (!namespaced && !s.namespace) errs.push(required(p.child('namespace')));
        break;
      case 'User': case 'Group':
        if (group !== rbacGroup) errs.push(notSupported(p.child('apiGroup'), group, [rbacGroup]));
        break;
      default:
        errs.push(notSupported(p.child('kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}
