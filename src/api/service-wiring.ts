// Connects the Service strategy to the cluster-wide ClusterIP and NodePort pools: allocate before
// the write, give back on failure or deletion, rebuild from the stored Services at start.
import type { Registry } from './registry';
import type { KubeObject } from '../registry/resource-types';
import { ServiceAllocator } from '../registry/resources/service-allocator';

/** Returns the ClusterIPs reserved for the `kubernetes` and `kube-dns` Services. */
export function configureServices(reg: Registry, serviceCIDR: string, nodePortRange: string): { kubernetes: string; dns: string } {
  const def = reg.table.lookup('', 'v1', 'services');
  if (!def) throw new Error('services are not in the resource table');
  const pools = new ServiceAllocator({ serviceCIDR, nodePortRange });
  const existing = reg.store(def).snapshot(undefined, () => true).items.map((o) => JSON.parse(o.json) as KubeObject);
  pools.rebuild(existing);
  const base = def.strategy;
  def.strategy = {
    ...base,
    beginCreate(obj) {
      const taken = pools.allocate(obj);
      return (stored) => { if (!stored) pools.rollback(taken); };
    },
    beginUpdate(obj, old) {
      const taken = pools.allocateForUpdate(obj, old);
      return (stored) => { if (stored) pools.releaseUnused(obj, old); else pools.rollback(taken); };
    },
    afterDelete(obj) {
      pools.release(obj);
      return base.afterDelete?.(obj);
    },
  };
  return { kubernetes: pools.kubernetesServiceIP(), dns: pools.dnsServiceIP() };
}
