// What the kubelet reads from the API to build a container (configMaps, secrets, services, and the
// claims and volumes behind persistentVolumeClaim volumes), as one small interface so env and volume code
// can be exercised without an apiserver, and a shared cache of it.
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret, Service } from 'kubernetes-types/core/v1';
import type { PodTokenRequest } from './service-account-tokens';

export interface ObjectSource {
  /** undefined when it does not exist. */
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  /** Every Service the node knows (for the containers' service environment variables). */
  services(): Promise<Service[]>;
  claim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  volume(name: string): Promise<PersistentVolume | undefined>;
  /** A token of the service account, bound to the requesting pod, for a projected serviceAccountToken source. */
  serviceAccountToken(namespace: string, serviceAccount: string, req: PodTokenRequest): Promise<string>;
}

/** A configMap's or secret's entries as strings (secret data is base64 on the wire). */
export function configMapEntries(cm: ConfigMap): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}

export function secretEntries(s: Secret): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(s.data ?? {})) out.set(k, Buffer.from(v, 'base64'));
  for (const [k, v] of Object.entries(s.stringData ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  return out;
}

/**
 * The same lookups, each answer kept for `ttlMs` and shared by every caller: many hollow nodes asking for
 * the same kube-root-ca.crt on each pod sync cost one request per namespace per period, not one per sync.
 */
export function cachedObjectSource(source: ObjectSource, ttlMs: number): ObjectSource {
  const cache = new Map<string, { at: number; value: Promise<ConfigMap | Secret | undefined> }>();
  const lookup = <T extends ConfigMap | Secret>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value as Promise<T | undefined>;
    const value = load();
    if (cache.size >= 4096) cache.clear();
    cache.set(key, { at: Date.now(), value });
    // A failed lookup is not remembered: the next sync asks again.
    value.catch(() => { if (cache.get(key)?.value === value) cache.delete(key); });
    return value;
  };
  return {
    configMap: (ns, name) => lookup(`configmap/${ns}/${name}`, () => source.configMap(ns, name)),
    secret: (ns, name) => lookup(`secret/${ns}/${name}`, () => source.secret(ns, name)),
    services: () => source.services(),
    claim: (ns, name) => source.claim(ns, name),
    volume: (name) => source.volume(name),
    serviceAccountToken: (ns, sa, req) => source.serviceAccountToken(ns, sa, req),
  };
}
