// LoadBalancer Services without a cloud, as k3s's service load balancer does: the node's address
// becomes status.loadBalancer.ingress (written through services/status), and the proxy then serves the
// service port on that address.
import type { Service } from 'kubernetes-types/core/v1';

/** The status patch a Service needs, or undefined when its status is already right. */
export function loadBalancerStatusPatch(svc: Service, nodeIP: string): object | undefined {
  if (svc.spec?.type !== 'LoadBalancer') return undefined;
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length === 1 && ingress[0].ip === nodeIP && !ingress[0].hostname) return undefined;
  return { status: { loadBalancer: { ingress: [{ ip: nodeIP }] } } };
}
