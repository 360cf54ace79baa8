// Query parameters of list and watch requests (selectors, paging, resourceVersion semantics) turned
// into the store's ListOptions, with upstream's 400s for bad selectors and unsupported field labels.
import type { ResourceDef } from '../registry/resource-types';
import type { ListOptions } from '../registry/generic-store';
import type { Predicate } from '../registry/resource-cache';
import { parseLabelSelector } from '../registry/label-selector';
import { parseFieldSelector } from '../registry/field-selector';
import { badRequest } from '../registry/errors';

export function buildPredicate(def: ResourceDef, q: URLSearchParams, fieldLabels: Set<string>): { predicate: Predicate; filtered: boolean } {
  const ls = q.get('labelSelector');
  const fs = q.get('fieldSelector');
  const label = ls ? parseLabelSelector(ls) : undefined;
  void def;
  const field = fs ? parseFieldSelector(fs, fieldLabels) : undefined;
  if (!label && !field) return { predicate: () => true, filtered: false };
  return {
    predicate: (o) => (!label || label.matches(o.labels)) && (!field || field.matches(o.fields)),
    filtered: true,
  };
}

export function listOptions(def: ResourceDef, q: URLSearchParams, fieldLabels: Set<string>): ListOptions {
  const { predicate, filtered } = buildPredicate(def, q, fieldLabels);
  const limitText = q.get('limit');
  const limit = limitText ? Number(limitText) : undefined;
  if (limitText && !Number.isInteger(limit)) throw badRequest(`invalid limit: ${limitText}`);
  const match = q.get('resourceVersionMatch') ?? undefined;
  const rv = q.get('resourceVersion') ?? undefined;
  if (match && !rv) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  return { predicate, filtered, limit, continueToken: q.get('continue') ?? undefined, resourceVersion: rv, resourceVersionMatch: match };
}
