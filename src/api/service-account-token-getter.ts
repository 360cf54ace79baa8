// Where the service-account token authenticator reads the objects a token names: the watch cache
// (no round trip per request), falling back to etcd for what the cache does not hold yet.
import type { Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import { StatusError } from '../registry/errors';
import type { KubeObject } from '../registry/resource-types';
import type { CachedObject } from '../registry/watch-event';
import type { Registry } from './registry';
import type { ServiceAccountTokenGetter } from './service-account-claims';

export function registryTokenGetter(reg: Registry): ServiceAccountTokenGetter {
  // Parsed once per cached version: every request bearing the same token reads the same objects.
  const parsed = new WeakMap<CachedObject, KubeObject>();
  const read = async (plural: string, namespace: string, name: string): Promise<KubeObject | undefined> => {
    const store = reg.storeFor('', 'v1', plural);
    const cached = store.cachedObject(namespace, name);
    if (cached) {
      let obj = parsed.get(cached);
      if (!obj) parsed.set(cached, obj = JSON.parse(cached.json) as KubeObject);
      return obj;
    }
    try {
      return await store.getObject(namespace, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  };
  return {
    serviceAccount: async (ns, name) => await read('serviceaccounts', ns, name) as ServiceAccount | undefined,
    pod: async (ns, name) => await read('pods', ns, name) as Pod | undefined,
    secret: async (ns, name) => await read('secrets', ns, name) as Secret | undefined,
  };
}
