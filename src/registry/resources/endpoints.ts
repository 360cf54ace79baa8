// core/v1 Endpoints: address and port validation; stored under "services/endpoints" as upstream.
import type { Endpoints } from 'kubernetes-types/core/v1';
import { FieldPath, duplicate, invalidValue, notSupported, required } from '../field-error';
import { endpointsPrinter } from '../printers/simple';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { isDNS1123Label, isValidIP, isValidPortNum, nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';

const protocols = ['SCTP', 'TCP', 'UDP'];

function validateEndpoints(ep: Endpoints) {
  const errs = validateObjectMeta(ep.metadata, true, nameIsDNSSubdomain);
  (ep.subsets ?? []).forEach((ss, i) => {
    const sp = FieldPath.root('subsets').index(i);
    for (const [field, addrs] of [['addresses', ss.addresses], ['notReadyAddresses', ss.notReadyAddresses]] as const) {
      (addrs ?? []).forEach((a, j) => {
        for (const m of isValidIP(a.ip)) errs.push(invalidValue(sp.child(field).index(j).child('ip'), a.ip, m));
      });
    }
    const ports = ss.ports ?? [];
    const names = new Set<string>();
    ports.forEach((p, j) => {
      const pp = sp.child('ports').index(j);
      if (ports.length > 1 && !p.name) errs.push(required(pp.child('name')));
      if (p.name) {
        for (const m of isDNS1123Label(p.name)) errs.push(invalidValue(pp.child('name'), p.name, m));
        if (names.has(p.name)) errs.push(duplicate(pp.child('name'), p.name));
        names.add(p.name);
      }
      for (const m of isValidPortNum(p.port)) errs.push(invalidValue(pp.child('port'), p.port, m));
      if (!p.protocol) errs.push(required(pp.child('protocol')));
      else if (!protocols.includes(p.protocol)) errs.push(notSupported(pp.child('protocol'), p.protocol, protocols));
    });
  });
  return errs;
}

export function endpointsResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Endpoints', listKind: 'EndpointsList', plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'],
    namespaced: true, storagePrefix: 'services/endpoints', openapiName: 'io.k8s.api.core.v1.Endpoints',
    strategy: {
      defaults(o: KubeObject) {
        for (const ss of (o as Endpoints).subsets ?? []) for (const p of ss.ports ?? []) p.protocol ??= 'TCP';
      },
      validate: (o: KubeObject) => validateEndpoints(o as Endpoints),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: endpointsPrinter,
  });
}
