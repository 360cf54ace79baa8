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
  private readonly mutating: AdmissionPlugin[];
  private readonly validating: AdmissionPlugin[];

  constructor(plugins: AdmissionPlugin[]) {
    this.mutating = plugins.filter((p) => p.mutate);
    this.validating = plugins.filter((p) => p.validate);
  }

  async admit(a: AdmissionAttributes): Promise<void> {
    // Most plugins answer synchronously; awaiting only real promises saves a turn per plugin per write.
    for (const p of this.mutating) {
      const r = p.mutate!(a);
      if (r) await r;
    }
    for (const p of this.validating) {
      const r = p.validate!(a);
      if (r) await r;
    }
  }
}
