// The admission stage: mutating plugins run first, then validating ones, on every write,
// as upstream's admission chain does. Plugins see the parsed request and the objects involved.
import type { KubeObject, ResourceDef } from '../registry/resource-types';
import type { UserInfo } from '../api/authn';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  def: ResourceDef;
  namespace: string;
  name: string;
  subresource: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  name: string;
  mutate?(a: AdmissionAttributes): void | Promise<void>;
  validate?(a: AdmissionAttributes): void | Promise<void>;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  async admit(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) await p.mutate?.(a);
    for (const p of this.plugins) await p.validate?.(a);
  }
}
