// A pod's dnsConfig with upstream's limits (validatePodDNSConfig): at most 3 nameservers, each an IP;
// at most 32 search domains of at most 2048 characters in all; named options; nameservers required
// when dnsPolicy is None.
import type { PodDNSConfig } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, invalidValue, required } from '../field-error';
import { goStringSlice, invalidRendered } from './go-format';
import { isDNS1123Subdomain, isValidIP } from './names';

const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_LENGTH = 2048;

export function validatePodDNSConfig(cfg: PodDNSConfig | undefined, dnsPolicy: string | undefined, p: FieldPath): FieldError[] {
  if (dnsPolicy === 'None') {
    if (!cfg) return [required(p, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!cfg.nameservers?.length) return [required(p.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const nameservers = cfg.nameservers ?? [];
  if (nameservers.length > MAX_NAMESERVERS) {
    errs.push(invalidRendered(p.child('nameservers'), nameservers, goStringSlice(nameservers), `must not have more than ${MAX_NAMESERVERS} nameservers`));
  }
  nameservers.forEach((ns, i) => { for (const m of isValidIP(ns)) errs.push(invalidValue(p.child('nameservers').index(i), ns, m)); });
  const searches = cfg.searches ?? [];
  if (searches.length > MAX_SEARCH_PATHS) {
    errs.push(invalidRendered(p.child('searches'), searches, goStringSlice(searches), `must not have more than ${MAX_SEARCH_PATHS} search paths`));
  }
  if (searches.join(' ').length > MAX_SEARCH_LENGTH) {
    errs.push(invalidRendered(p.child('searches'), searches, goStringSlice(searches), `must not have more than ${MAX_SEARCH_LENGTH} characters (including spaces) in the search list`));
  }
  searches.forEach((s, i) => {
    if (s === '.') return;
    const name = s.replace(/\.$/, '');
    for (const m of isDNS1123Subdomain(name)) errs.push(invalidValue(p.child('searches').index(i), name, m));
  });
  (cfg.options ?? []).forEach((o, i) => { if (!o.name) errs.push(required(p.child('options').index(i), 'Option.Name must not be empty')); });
  return errs;
}
