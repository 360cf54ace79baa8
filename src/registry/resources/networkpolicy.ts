// networking.k8s.io/v1 NetworkPolicy: policyTypes and port protocol defaults, peer/port/ipBlock validation.
import type { NetworkPolicy, NetworkPolicyPort } from 'kubernetes-types/networking/v1';
import { networkPolicyPrinter } from '../printers/networking';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Writable } from '../resource-types';
import { validateNetworkPolicy } from '../validation/networking';
import { validateObjectMetaUpdate } from '../validation/object-meta';

/** Upstream's SetDefaults: Ingress always, Egress too when egress rules exist; ports default to TCP. */
export function defaultNetworkPolicy(np: Writable<NetworkPolicy>): void {
  const spec = (np.spec ??= { podSelector: {} }) as Writable<NonNullable<NetworkPolicy['spec']>>;
  spec.podSelector ??= {};
  const defaultPorts = (ports: NetworkPolicyPort[] | undefined) => {
    for (const p of ports ?? []) (p as Writable<NetworkPolicyPort>).protocol ??= 'TCP';
  };
  for (const r of spec.ingress ?? []) defaultPorts(r.ports);
  for (const r of spec.egress ?? []) defaultPorts(r.ports);
  if ((spec.policyTypes ?? []).length === 0) {
    spec.policyTypes = (spec.egress ?? []).length ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

export function networkPolicyResource(): ResourceDef {
  return defineResource({
    group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'],
    namespaced: true, openapiName: 'io.k8s.api.networking.v1.NetworkPolicy', hasGeneration: true,
    strategy: {
      defaults: (o: KubeObject) => defaultNetworkPolicy(o as Writable<NetworkPolicy>),
      validate: (o: KubeObject) => validateNetworkPolicy(o as NetworkPolicy),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: networkPolicyPrinter,
  });
}
