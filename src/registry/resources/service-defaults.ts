// Service defaulting (SetDefaults_Service) plus the server-side fields the service REST layer fills
// in: clusterIP/clusterIPs normalisation and the IP family fields.
import type { Service } from 'kubernetes-types/core/v1';
import { isExternallyAccessible } from '../validation/service';

export function defaultService(svc: Service): void {
  const spec = svc.spec ?? (svc.spec = {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig ?? (spec.sessionAffinityConfig = {});
    const ip = cfg.clientIP ?? (cfg.clientIP = {});
    ip.timeoutSeconds ??= 10800;
  }
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (isExternallyAccessible(svc)) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    // LoadBalancerIPMode (on by default since v1.30): an IP the load balancer announces is a VIP.
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip) ing.ipMode ??= 'VIP';
  }
  // clusterIP and clusterIPs[0] describe the same thing; either may be given.
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  else if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
}

/** IP family fields for a single-stack IPv4 cluster, as the REST layer sets them on create. */
export function defaultIpFamilies(svc: Service): void {
  const spec = svc.spec ?? (svc.spec = {});
  if (spec.type === 'ExternalName') return;
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  spec.ipFamilyPolicy ??= headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
}

const needsNodePorts = (s: Service) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer';

/**
 * On update, keeps allocated values a client left out (upstream's patchAllocatedValues) and drops
 * fields that no longer apply after a type change (dropTypeDependentFields).
 */
export function carryAllocatedValues(svc: Service, old: Service): void {
  const spec = svc.spec ?? (svc.spec = {});
  const oldSpec = old.spec ?? {};
  const ipNeeded = (s: Service) => s.spec?.type !== 'ExternalName';
  if (ipNeeded(svc) && ipNeeded(old)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!spec.clusterIPs?.length && oldSpec.clusterIPs?.length) spec.clusterIPs = [...oldSpec.clusterIPs];
    if (!spec.ipFamilies?.length && oldSpec.ipFamilies?.length) spec.ipFamilies = [...oldSpec.ipFamilies];
    if (!spec.ipFamilyPolicy && oldSpec.ipFamilyPolicy) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
  }
  if (needsNodePorts(svc) && needsNodePorts(old)) {
    const newUsed = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((x): x is number => !!x));
    const byName = new Map((oldSpec.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const prev = byName.get(p.name ?? '');
      if (prev && !newUsed.has(prev)) { p.nodePort = prev; newUsed.add(prev); }
    }
  }
  const hcNeeded = (s: Service) => s.spec?.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';
  if (hcNeeded(svc) && hcNeeded(old) && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }

  // Type changes: drop what the new type cannot carry, when it is just the old value carried along.
  if (spec.type === 'ExternalName' && oldSpec.type !== 'ExternalName') {
    if (spec.clusterIP === oldSpec.clusterIP) delete spec.clusterIP;
    if (JSON.stringify(spec.clusterIPs) === JSON.stringify(oldSpec.clusterIPs)) delete spec.clusterIPs;
    if (JSON.stringify(spec.ipFamilies) === JSON.stringify(oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (!needsNodePorts(svc) && needsNodePorts(old)) {
    const oldPorts = new Map((oldSpec.ports ?? []).map((p) => [`${p.name ?? ''}`, p.nodePort]));
    for (const p of spec.ports ?? []) if (p.nodePort && oldPorts.get(p.name ?? '') === p.nodePort) delete p.nodePort;
  }
  if (!hcNeeded(svc) && spec.healthCheckNodePort === oldSpec.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (spec.type !== 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
    delete spec.allocateLoadBalancerNodePorts;
  }
  if (!isExternallyAccessible(svc) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  if (spec.type === 'ExternalName' && spec.internalTrafficPolicy === oldSpec.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  if (spec.type !== 'ExternalName' && oldSpec.type === 'ExternalName') defaultIpFamilies(svc);
}
