// discovery.k8s.io/v1 EndpointSlice validation: address type, endpoint addresses by type, hostnames,
// ports (names, protocols, app protocols), with upstream's paths and messages.
import { isIP } from 'node:net';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { FieldError, FieldPath, duplicate, invalidValue, notSupported, required } from '../field-error';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain } from './names';
import { validateObjectMeta } from './object-meta';

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];
const protocols = ['SCTP', 'TCP', 'UDP'];

/** Addresses an endpoint may not use (upstream ValidateEndpointIP). */
function endpointIPErrors(ip: string): string[] {
  const v4 = isIP(ip) === 4;
  const lower = ip.toLowerCase();
  if (ip === '0.0.0.0' || ip === '::' || /^0*:(0*:)*0*$/.test(lower)) return ['may not be unspecified (0.0.0.0)'];
  if ((v4 && ip.startsWith('127.')) || lower === '::1') return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
  if ((v4 && ip.startsWith('169.254.')) || /^fe[89ab]/.test(lower)) return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
  if ((v4 && ip.startsWith('224.0.0.')) || lower.startsWith('ff02:')) return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
  return [];
}

function isFQDN(v: string, p: FieldPath): FieldError[] {
  const s = v.endsWith('.') ? v.slice(0, -1) : v;
  if (s.length === 0) return [required(p)];
  const errs = isDNS1123Subdomain(s).map((m) => invalidValue(p, v, m));
  if (errs.length) return errs;
  if (s.split('.').length < 2) return [invalidValue(p, v, 'should be a domain with at least two segments separated by dots')];
  return [];
}

export function validateEndpointSlice(es: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(es.metadata, true, nameIsDNSSubdomain);
  const at = es.addressType;
  if (!at) errs.push(required('addressType'));
  else if (!addressTypes.includes(at)) errs.push(notSupported('addressType', at, addressTypes));
  (es.endpoints ?? []).forEach((e, i) => {
    const ep = FieldPath.root('endpoints').index(i);
    const ap = ep.child('addresses');
    const addrs = e.addresses ?? [];
    if (addrs.length === 0) errs.push(required(ap, 'must contain at least 1 address'));
    addrs.forEach((a, j) => {
      const p = ap.index(j);
      if (at === 'IPv4') {
        if (isIP(a) !== 4) errs.push(invalidValue(p, a, 'must be a valid IPv4 address'));
        else for (const m of endpointIPErrors(a)) errs.push(invalidValue(p, a, m));
      } else if (at === 'IPv6') {
        if (isIP(a) !== 6) errs.push(invalidValue(p, a, 'must be a valid IPv6 address'));
        else for (const m of endpointIPErrors(a)) errs.push(invalidValue(p, a, m));
      } else if (at === 'FQDN') {
        errs.push(...isFQDN(a, p));
      }
    });
    if (e.nodeName !== undefined) for (const m of nameIsDNSSubdomain(e.nodeName, false)) errs.push(invalidValue(ep.child('nodeName'), e.nodeName, m));
    if (e.hostname !== undefined) for (const m of isDNS1123Label(e.hostname)) errs.push(invalidValue(ep.child('hostname'), e.hostname, m));
  });
  const names = new Set<string>();
  (es.ports ?? []).forEach((port, i) => {
    const pp = FieldPath.root('ports').index(i);
    const name = port.name ?? '';
    if (name) for (const m of isDNS1123Label(name)) errs.push(invalidValue(pp.child('name'), name, m));
    if (names.has(name)) errs.push(duplicate(pp.child('name'), name));
    names.add(name);
    if (port.protocol === undefined) errs.push(required(pp.child('protocol')));
    else if (!protocols.includes(port.protocol)) errs.push(notSupported(pp.child('protocol'), port.protocol, protocols));
    if (port.appProtocol !== undefined) for (const m of isQualifiedName(port.appProtocol)) errs.push(invalidValue(pp.child('appProtocol'), port.appProtocol, m));
  });
  return errs;
}
