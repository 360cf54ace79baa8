// Service validation: type, ports, selector, cluster IPs and traffic policies on create, and the
// immutability of the primary cluster IP on update.
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, duplicate, forbiddenField, invalidValue, notSupported, required } from '../field-error';
import { goStringSlice, invalidRendered } from './go-format';
import { isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidPortName, isValidPortNum, nameIsDNS1035Label } from './names';
import { validateLabels, validateObjectMeta } from './object-meta';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const protocols = ['SCTP', 'TCP', 'UDP'];

export const isExternallyAccessible = (s: Service) =>
  s.spec?.type === 'LoadBalancer' || s.spec?.type === 'NodePort' || (s.spec?.type === 'ClusterIP' && (s.spec.externalIPs ?? []).length > 0);
export const isHeadlessService = (s: Service) => s.spec?.type === 'ClusterIP' && (s.spec.clusterIPs?.[0] === 'None' || s.spec.clusterIP === 'None');

function goServicePortKey(p: ServicePort): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(p.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function validatePorts(svc: Service, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const ports = svc.spec?.ports ?? [];
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((sp, i) => {
    const ip = p.index(i);
    if (ports.length > 1 && !sp.name) errs.push(required(ip.child('name')));
    if (sp.name) {
      for (const m of isDNS1123Label(sp.name)) errs.push(invalidValue(ip.child('name'), sp.name, m));
      if (names.has(sp.name)) errs.push(duplicate(ip.child('name'), sp.name));
      names.add(sp.name);
    }
    for (const m of isValidPortNum(sp.port)) errs.push(invalidValue(ip.child('port'), sp.port, m));
    if (!sp.protocol) errs.push(required(ip.child('protocol')));
    else if (!protocols.includes(sp.protocol)) errs.push(notSupported(ip.child('protocol'), sp.protocol, protocols));
    if (typeof sp.targetPort === 'number') {
      for (const m of isValidPortNum(sp.targetPort)) errs.push(invalidValue(ip.child('targetPort'), sp.targetPort, m));
    } else if (typeof sp.targetPort === 'string') {
      for (const m of isValidPortName(sp.targetPort)) errs.push(invalidValue(ip.child('targetPort'), sp.targetPort, m));
    }
    if (sp.nodePort !== undefined && sp.nodePort !== 0) {
      if (svc.spec?.type === 'ClusterIP') errs.push(forbiddenField(ip.child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
      else if (svc.spec?.type === 'ExternalName') errs.push(forbiddenField(ip.child('nodePort'), "may not be used when `type` is 'ExternalName'"));
      else for (const m of isValidPortNum(sp.nodePort)) errs.push(invalidValue(ip.child('nodePort'), sp.nodePort, m));
    }
    const key = `${sp.protocol}/${sp.port}`;
    if (keys.has(key)) errs.push(new FieldError('Duplicate', String(ip), sp, goServicePortKey(sp), true));
    keys.add(key);
  });
  return errs;
}

function validateClusterIPs(svc: Service, p: FieldPath): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const ipsPath = p.child('clusterIPs');
  const ips = spec.clusterIPs ?? [];
  if (spec.type === 'ExternalName') {
    if (spec.clusterIP || ips.length) errs.push(forbiddenField(ipsPath, 'may not be set for ExternalName services'));
    return errs;
  }
  if (spec.clusterIP && ips.length && spec.clusterIP !== ips[0]) {
    errs.push(invalidRendered(ipsPath, ips, goStringSlice(ips), 'first value must match `clusterIP`'));
  }
  ips.forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0) errs.push(invalidValue(ipsPath.index(i), ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
      else if (spec.type !== 'ClusterIP') errs.push(invalidValue(ipsPath.index(0), ip, `may not be set to 'None' for ${spec.type} services`));
      return;
    }
    for (const m of isValidIP(ip)) errs.push(invalidValue(ipsPath.index(i), ip, m));
  });
  if (ips.length > 2) errs.push(invalidRendered(ipsPath, ips, goStringSlice(ips), 'may only hold up to 2 values'));
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  const errs = validateObjectMeta(svc.metadata, true, nameIsDNS1035Label);
  const spec = svc.spec ?? {};
  const p = FieldPath.root('spec');
  const type = spec.type ?? '';
  if (!serviceTypes.includes(type)) errs.push(type ? notSupported(p.child('type'), type, serviceTypes) : required(p.child('type')));
  if ((spec.ports ?? []).length === 0 && !isHeadlessService(svc) && type !== 'ExternalName') errs.push(required(p.child('ports')));
  if (type === 'ExternalName') {
    const en = spec.externalName ?? '';
    if (!en) errs.push(required(p.child('externalName')));
    else for (const m of isDNS1123Subdomain(en.replace(/\.$/, ''))) errs.push(invalidValue(p.child('externalName'), en, m));
  }
  errs.push(...validatePorts(svc, p.child('ports')));
  errs.push(...validateLabels(spec.selector, p.child('selector')));
  if (spec.sessionAffinity && !['ClientIP', 'None'].includes(spec.sessionAffinity)) {
    errs.push(notSupported(p.child('sessionAffinity'), spec.sessionAffinity, ['ClientIP', 'None']));
  }
  errs.push(...validateClusterIPs(svc, p));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    for (const m of isValidIP(ip)) errs.push(invalidValue(p.child('externalIPs').index(i), ip, m));
  });
  if (spec.externalTrafficPolicy) {
    if (!isExternallyAccessible(svc)) {
      errs.push(invalidValue(p.child('externalTrafficPolicy'), spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    } else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
      errs.push(notSupported(p.child('externalTrafficPolicy'), spec.externalTrafficPolicy, ['Cluster', 'Local']));
    }
  }
  if (spec.internalTrafficPolicy && !['Cluster', 'Local'].includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported(p.child('internalTrafficPolicy'), spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (spec.ipFamilyPolicy && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported(p.child('ipFamilyPolicy'), spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(p.child('ipFamilies').index(i), f, ['IPv4', 'IPv6']));
  });
  return errs;
}

export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec');
  const n = svc.spec?.clusterIPs ?? [];
  const o = old.spec?.clusterIPs ?? [];
  const typeInvolvesExternalName = svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName';
  if (!typeInvolvesExternalName && o.length > 0 && n.length > 0 && o[0] !== n[0]) {
    errs.push(invalidRendered(p.child('clusterIPs').index(0), n, goStringSlice(n), 'may not change once set'));
  }
  return errs;
}
