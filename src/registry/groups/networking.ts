// networking.k8s.io/v1 resources, in the order discovery lists them.
import type { ResourceDef } from '../resource-types';
import { ingressResource } from '../resources/ingress';
import { ingressClassResource } from '../resources/ingressclass';
import { networkPolicyResource } from '../resources/networkpolicy';

export function networkingResources(): ResourceDef[] {
  return [ingressClassResource(), ingressResource(), networkPolicyResource()];
}
