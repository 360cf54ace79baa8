// certificates.k8s.io/v1 resources, in the order discovery lists them.
import type { ResourceDef } from '../resource-types';
import { certificateSigningRequestResource } from '../resources/certificatesigningrequest';

export function certificatesResources(): ResourceDef[] {
  return [certificateSigningRequestResource()];
}
