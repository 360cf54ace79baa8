// networking.k8s.io/v1 validation: Ingress (rules, paths, backends, TLS), IngressClass and
// NetworkPolicy (ports, peers, ipBlock), with upstream's field paths and messages.
import { isIP } from 'node:net';
import type {
  HTTPIngressPath, Ingress, IngressBackend, IngressClass, IngressClassParametersReference, NetworkPolicy,
  NetworkPolicyPeer, NetworkPolicyPort,
} from 'kubernetes-types/networking/v1';
import type { TypedLocalObjectReference } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, notSupported, required, tooLong } from '../field-error';
import { parseCidr, strictSubset } from './cidr';
import { invalidRendered } from './go-format';
import { validateLabelSelector } from './label-selector';
import {
  isDNS1123Subdomain, isValidPathSegmentName, isValidPortName, isValidPortNum, nameIsDNS1035Label, nameIsDNSLabel,
  nameIsDNSSubdomain, regexError,
} from './names';
import { validateObjectMeta } from './object-meta';
import { isWildcardDNS1123Subdomain } from './wildcard-dns';

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];
const invalidPathSequences = ['//', '/./', '/../', '%2f', '%2F'];
const invalidPathSuffixes = ['/..', '/.'];

function validateTypedRef(r: TypedLocalObjectReference, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (r.apiGroup !== undefined) for (const m of isDNS1123Subdomain(r.apiGroup)) errs.push(invalidValue(p.child('apiGroup'), r.apiGroup, m));
  if (!r.kind) errs.push(required(p.child('kind')));
  else for (const m of isValidPathSegmentName(r.kind)) errs.push(invalidValue(p.child('kind'), r.kind, m));
  if (!r.name) errs.push(required(p.child('name')));
  else for (const m of isValidPathSegmentName(r.name)) errs.push(invalidValue(p.child('name'), r.name, m));
  return errs;
}

function validateBackend(b: IngressBackend, p: FieldPath): FieldError[] {
  if (b.resource && b.service) return [invalidValue(p, '', 'cannot set both resource and service backends')];
  if (b.resource) return validateTypedRef(b.resource, p.child('resource'));
  if (!b.service) return [invalidValue(p, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const sp = p.child('service');
  const name = b.service.name;
  if (!name) errs.push(required(sp.child('name')));
  else for (const m of nameIsDNS1035Label(name, false)) errs.push(invalidValue(sp.child('name'), name, m));
  const port = b.service.port ?? {};
  const hasName = !!port.name;
  const hasNumber = !!port.number;
  if (hasName && hasNumber) errs.push(invalidValue(p, '', 'cannot set both port name & port number'));
  else if (hasName) for (const m of isValidPortName(port.name!)) errs.push(invalidValue(sp.child('port').child('name'), port.name, m));
  else if (hasNumber) for (const m of isValidPortNum(port.number!)) errs.push(invalidValue(sp.child('port').child('number'), port.number, m));
  else errs.push(required(p, 'port name or number is required'));
  return errs;
}

function validatePath(path: HTTPIngressPath, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const pt = path.pathType;
  if (pt === undefined) return [required(p.child('pathType'), 'pathType must be specified')];
  const text = path.path ?? '';
  if (pt === 'Exact' || pt === 'Prefix') {
    if (!text.startsWith('/')) errs.push(invalidValue(p.child('path'), text, 'must be an absolute path'));
    if (text.length > 0) {
      for (const seq of invalidPathSequences) if (text.includes(seq)) errs.push(invalidValue(p.child('path'), text, `must not contain '${seq}'`));
      for (const suf of invalidPathSuffixes) if (text.endsWith(suf)) errs.push(invalidValue(p.child('path'), text, `cannot end with '${suf}'`));
    }
  } else if (pt === 'ImplementationSpecific') {
    if (text.length > 0 && !text.startsWith('/')) errs.push(invalidValue(p.child('path'), text, 'must be an absolute path'));
  } else {
    errs.push(notSupported(p.child('pathType'), pt, pathTypes));
  }
  errs.push(...validateBackend(path.backend ?? {}, p.child('backend')));
  return errs;
}

function validateHost(host: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  for (const m of msgs) errs.push(invalidValue(p, host, m));
  return errs;
}

export function validateIngress(ing: Ingress): FieldError[] {
  const errs = validateObjectMeta(ing.metadata, true, nameIsDNSSubdomain);
  const p = FieldPath.root('spec');
  const spec = ing.spec ?? {};
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) {
    errs.push(invalidRendered(p, spec.rules ?? null, spec.rules ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)',
      'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, p.child('defaultBackend')));
  rules.forEach((r, i) => {
    const rp = p.child('rules').index(i);
    if (r.host) {
      if (isIP(r.host)) errs.push(invalidValue(rp.child('host'), r.host, 'must be a DNS name, not an IP address'));
      errs.push(...validateHost(r.host, rp.child('host')));
    }
    if (r.http) {
      const hp = rp.child('http');
      if ((r.http.paths ?? []).length === 0) errs.push(required(hp.child('paths')));
      (r.http.paths ?? []).forEach((path, j) => errs.push(...validatePath(path, hp.child('paths').index(j))));
    }
  });
  (spec.tls ?? []).forEach((t, i) => {
    const tp = p.child('tls').index(i);
    (t.hosts ?? []).forEach((h, j) => errs.push(...validateHost(h, tp.child('hosts').index(j))));
    if (t.secretName) for (const m of nameIsDNSSubdomain(t.secretName, false)) errs.push(invalidValue(tp.child('secretName'), t.secretName, m));
  });
  if (spec.ingressClassName !== undefined) {
    for (const m of nameIsDNSSubdomain(spec.ingressClassName, false)) errs.push(invalidValue(p.child('ingressClassName'), spec.ingressClassName, m));
  }
  return errs;
}

/** Create-only rule: the legacy class annotation and ingressClassName must agree. */
export function validateIngressClassAnnotation(ing: Ingress): FieldError[] {
  const ann = ing.metadata?.annotations?.['kubernetes.io/ingress.class'];
  const cls = ing.spec?.ingressClassName;
  if (ann === undefined || cls === undefined || ann === cls) return [];
  return [invalidValue(FieldPath.root('annotations').child('kubernetes.io/ingress.class'), ann, 'must match `ingressClassName` when both are specified')];
}

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRe = new RegExp(`^${httpPathFmt}$`);

function validateDomainPrefixedPath(v: string, p: FieldPath): FieldError[] {
  const slash = v.indexOf('/');
  const host = slash < 0 ? v : v.slice(0, slash);
  const path = slash < 0 ? '' : v.slice(slash + 1);
  if (slash < 0 || !host || !path) return [invalidValue(p, v, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((m) => invalidValue(p, host, m));
  if (!httpPathRe.test(path)) errs.push(invalidValue(p, path, regexError('Invalid path', httpPathFmt)));
  return errs;
}

function validateClassParameters(r: IngressClassParametersReference, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (r.apiGroup !== undefined) for (const m of isDNS1123Subdomain(r.apiGroup)) errs.push(invalidValue(p.child('apiGroup'), r.apiGroup, m));
  if (!r.kind) errs.push(required(p.child('kind')));
  else for (const m of isValidPathSegmentName(r.kind)) errs.push(invalidValue(p.child('kind'), r.kind, m));
  if (!r.name) errs.push(required(p.child('name')));
  else for (const m of isValidPathSegmentName(r.name)) errs.push(invalidValue(p.child('name'), r.name, m));
  if (r.scope === undefined) { errs.push(required(p.child('scope'))); return errs; }
  if (r.scope !== 'Namespace' && r.scope !== 'Cluster') {
    errs.push(notSupported(p.child('scope'), r.scope, ['Cluster', 'Namespace']));
  } else if (r.scope === 'Namespace') {
    if (r.namespace === undefined) errs.push(required(p.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
    else for (const m of nameIsDNSLabel(r.namespace, false)) errs.push(invalidValue(p.child('namespace'), r.namespace, m));
  } else if (r.namespace !== undefined) {
    errs.push(forbiddenField(p.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

export function validateIngressClass(ic: IngressClass): FieldError[] {
  const errs = validateObjectMeta(ic.metadata, false, nameIsDNSSubdomain);
  const p = FieldPath.root('spec');
  const controller = ic.spec?.controller ?? '';
  if (!controller) errs.push(required(p.child('controller')));
  else {
    if (controller.length > 250) errs.push(tooLong(p.child('controller'), 250));
    errs.push(...validateDomainPrefixedPath(controller, p.child('controller')));
  }
  if (ic.spec?.parameters) errs.push(...validateClassParameters(ic.spec.parameters, p.child('parameters')));
  return errs;
}

function validatePolicyPort(port: NetworkPolicyPort, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) {
    errs.push(notSupported(p.child('protocol'), port.protocol, ['TCP', 'UDP', 'SCTP']));
  }
  if (port.port === undefined) {
    if (port.endPort !== undefined) errs.push(invalidValue(p.child('endPort'), port.endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof port.port === 'number') {
    for (const m of isValidPortNum(port.port)) errs.push(invalidValue(p.child('port'), port.port, m));
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) errs.push(invalidValue(p.child('endPort'), port.endPort, 'must be greater than or equal to `port`'));
      for (const m of isValidPortNum(port.endPort)) errs.push(invalidValue(p.child('endPort'), port.endPort, m));
    }
  } else {
    if (port.endPort !== undefined) errs.push(invalidValue(p.child('endPort'), port.endPort, 'may not be specified when `port` is non-numeric'));
    for (const m of isValidPortName(port.port)) errs.push(invalidValue(p.child('port'), port.port, m));
  }
  return errs;
}

function validateIPBlock(cidr: string, except: string[], p: FieldPath): FieldError[] {
  if (!cidr) return [required(p.child('cidr'))];
  const outer = parseCidr(cidr);
  if (!outer) return [invalidValue(p.child('cidr'), cidr, 'not a valid CIDR')];
  const errs: FieldError[] = [];
  for (const [i, e] of except.entries()) {
    const ep = p.child('except').index(i);
    const inner = parseCidr(e);
    if (!inner) return [...errs, invalidValue(ep, e, 'not a valid CIDR')];
    if (!strictSubset(outer, inner)) errs.push(invalidValue(ep, e, 'must be a strict subset of `cidr`'));
  }
  return errs;
}

function validatePeer(peer: NetworkPolicyPeer, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector) { n++; errs.push(...validateLabelSelector(peer.podSelector, p.child('podSelector'))); }
  if (peer.namespaceSelector) { n++; errs.push(...validateLabelSelector(peer.namespaceSelector, p.child('namespaceSelector'))); }
  if (peer.ipBlock) { n++; errs.push(...validateIPBlock(peer.ipBlock.cidr ?? '', peer.ipBlock.except ?? [], p.child('ipBlock'))); }
  if (n === 0) errs.push(required(p, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(forbiddenField(p, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const errs = validateObjectMeta(np.metadata, true, nameIsDNSSubdomain);
  const p = FieldPath.root('spec');
  const spec = np.spec ?? { podSelector: {} };
  errs.push(...validateLabelSelector(spec.podSelector, p.child('podSelector')));
  (spec.ingress ?? []).forEach((r, i) => {
    const rp = p.child('ingress').index(i);
    (r.ports ?? []).forEach((port, j) => errs.push(...validatePolicyPort(port, rp.child('ports').index(j))));
    (r.from ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, rp.child('from').index(j))));
  });
  (spec.egress ?? []).forEach((r, i) => {
    const rp = p.child('egress').index(i);
    (r.ports ?? []).forEach((port, j) => errs.push(...validatePolicyPort(port, rp.child('ports').index(j))));
    (r.to ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, rp.child('to').index(j))));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    errs.push(invalidRendered(p.child('policyTypes'), types, `&[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`,
      'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(p.child('policyTypes').index(i), t, ['Ingress', 'Egress']));
  });
  return errs;
}
