// `kubets apiserver`: serves the Kubernetes API over HTTPS from a real etcd (the only component that
// touches etcd). Flags follow kube-apiserver's names.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { ResourceTable } from '../registry/resource-table';
import { builtinResources } from '../registry/builtin-resources';
import { CacheFeed } from '../registry/cache-feed';
import { newEtcdClient } from '../registry/etcd-client';
import { Registry } from '../api/registry';
import { cacheSpecOf } from '../registry/cache-feed';
import { AdmissionChain } from '../admission/admission';
import { namespaceLifecycle, type NamespaceLookup } from '../admission/namespace-lifecycle';
import { serviceAccountAdmission } from '../admission/service-account';
import { defaultTolerationSeconds } from '../admission/default-toleration-seconds';
import { Authenticator, type ServiceAccountAuthentication } from '../api/authn';
import { DEFAULT_ISSUER, ServiceAccountIssuer } from '../api/service-account-issuer';
import { registryTokenGetter } from '../api/service-account-token-getter';
import { allowAuthenticated } from '../api/authz';
import { priorityAdmission } from '../admission/priority';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { IngressClass } from 'kubernetes-types/networking/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { defaultIngressClassAdmission } from '../admission/default-ingress-class';
import { defaultStorageClassAdmission } from '../admission/default-storage-class';
import { storageObjectInUseProtection } from '../admission/storage-object-in-use-protection';
import { resourceQuotaAdmission, type QuotaAccess } from '../admission/resource-quota';
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { createServer } from '../api/server';
import { bootstrap } from '../api/bootstrap';
import { createSchemaLayer } from '../api/schema-layer';
import { configureServices } from '../api/service-wiring';
import { CrdLifecycle } from '../api/crd-lifecycle';
import type { KubeObject } from '../registry/resource-types';
import type { CachedObject } from '../registry/watch-event';
import { logger } from '../log';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'etcd-servers': { type: 'string', default: 'http://127.0.0.1:2379' },
      'secure-port': { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      'tls-cert-file': { type: 'string' },
      'tls-private-key-file': { type: 'string' },
      'client-ca-file': { type: 'string' },
      'token-auth-file': { type: 'string' },
      'service-account-issuer': { type: 'string', default: DEFAULT_ISSUER },
      'service-account-key-file': { type: 'string', multiple: true },
      'service-account-signing-key-file': { type: 'string' },
      'api-audiences': { type: 'string' },
      'service-cluster-ip-range': { type: 'string', default: '10.96.0.0/12' },
      'service-node-port-range': { type: 'string', default: '30000-32767' },
      'kubelet-client-certificate': { type: 'string' },
      'kubelet-client-key': { type: 'string' },
      'kubelet-certificate-authority': { type: 'string' },
    },
    strict: true,
  });
  const need = (k: 'tls-cert-file' | 'tls-private-key-file' | 'client-ca-file'): string => {
    const v = values[k];
    if (!v) throw new Error(`--${k} is required`);
    return v;
  };
  const port = Number(values['secure-port']);
  const etcd = newEtcdClient(values['etcd-servers']!.split(','));
  const table = new ResourceTable();
  for (const def of builtinResources()) table.add(def);
  const feed = new CacheFeed(etcd);
  const specs = table.all().map(cacheSpecOf);
  await feed.start(specs.filter((s, i) => specs.findIndex((x) => x.prefix === s.prefix) === i));

  const schema = createSchemaLayer(table);
  // Parsed once per cached version: every namespaced create looks its namespace up.
  const parsedNamespaces = new WeakMap<CachedObject, KubeObject>();
  const lookupNamespace: NamespaceLookup = (name) => {
    const store = reg.storeFor('', 'v1', 'namespaces');
    const cached = store.cachedObject(undefined, name);
    if (cached) {
      let ns = parsedNamespaces.get(cached);
      if (!ns) parsedNamespaces.set(cached, ns = JSON.parse(cached.json) as KubeObject);
      return ns;
    }
    return store.getObject(undefined, name).catch(() => undefined);
  };
  // Admission reads these on every write of their kind: from the cache, as upstream's listers do.
  const all = () => true;
  const listPriorityClasses = async (): Promise<PriorityClass[]> =>
    await reg.storeFor('scheduling.k8s.io', 'v1', 'priorityclasses').cachedObjects(undefined, all) as unknown as PriorityClass[];
  const listIngressClasses = async (): Promise<IngressClass[]> =>
    await reg.storeFor('networking.k8s.io', 'v1', 'ingressclasses').cachedObjects(undefined, all) as unknown as IngressClass[];
  const listStorageClasses = async (): Promise<StorageClass[]> =>
    await reg.storeFor('storage.k8s.io', 'v1', 'storageclasses').cachedObjects(undefined, all) as unknown as StorageClass[];
  const quotaStore = () => reg.storeFor('', 'v1', 'resourcequotas');
  const quotas: QuotaAccess = {
    list: async (ns) => await quotaStore().cachedObjects(ns, all) as unknown as ResourceQuota[],
    updateStatus: async (ns, name, fn) => { await quotaStore().update(ns, name, (cur) => fn(cur as ResourceQuota) as KubeObject, { subresource: 'status' }); },
  };
  const admission = new AdmissionChain([namespaceLifecycle(lookupNamespace), serviceAccountAdmission, priorityAdmission(listPriorityClasses),
    defaultTolerationSeconds, defaultIngressClassAdmission(listIngressClasses), defaultStorageClassAdmission(listStorageClasses),
    storageObjectInUseProtection, resourceQuotaAdmission(quotas)]);
  const reg = new Registry(etcd, feed, table, admission, schema.services);
  const serviceIPs = configureServices(reg, values['service-cluster-ip-range']!, values['service-node-port-range']!);
  // Every stored CRD is served again before the server reports ready.
  await new CrdLifecycle(reg).start();

  const serviceAccounts = serviceAccountAuthentication(values, reg);
  // Loopback for the host's clients, and the node address the `kubernetes` Service's endpoints name, so
  // pods reach the apiserver through that Service.
  const bindAddresses = values['bind-address']!.split(',').map((a) => a.trim()).filter(Boolean);
  let ready = false;
  const server = createServer(reg, schema.docs, {
    cert: readFileSync(need('tls-cert-file')), key: readFileSync(need('tls-private-key-file')),
    clientCA: readFileSync(need('client-ca-file')), bindAddress: bindAddresses[0]!, port,
    authenticator: new Authenticator(values['token-auth-file'], serviceAccounts), authorizer: allowAuthenticated, serviceAccounts,
    ready: () => ready,
    kubeletClient: values['kubelet-client-certificate'] && values['kubelet-client-key'] ? {
      cert: readFileSync(values['kubelet-client-certificate']), key: readFileSync(values['kubelet-client-key']),
      ca: readFileSync(values['kubelet-certificate-authority'] ?? need('client-ca-file')),
    } : undefined,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bindAddresses[0], () => resolve());
  });
  // A TLS server listens once; the other addresses hand it their connections.
  const extraListeners = await Promise.all(bindAddresses.slice(1).map((address) => new Promise<net.Server>((resolve, reject) => {
    const l = net.createServer((sock) => server.emit('connection', sock));
    l.once('error', reject);
    l.listen(port, address, () => resolve(l));
  })));
  await bootstrap(reg, port, serviceIPs);
  ready = true;
  logger.info({ port }, 'apiserver serving');
  const shutdown = () => {
    for (const l of extraListeners) l.close();
    server.close();
    server.closeAllConnections();
    void feed.stop().finally(() => { etcd.close(); process.exit(0); });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** Service-account token flags, as kube-apiserver's: verification keys, the signing key, issuer and audiences. */
function serviceAccountAuthentication(values: { 'service-account-issuer'?: string; 'service-account-key-file'?: string[];
  'service-account-signing-key-file'?: string; 'api-audiences'?: string }, reg: Registry): ServiceAccountAuthentication | undefined {
  const keyFiles = values['service-account-key-file'] ?? [];
  const signing = values['service-account-signing-key-file'];
  if (!keyFiles.length && !signing) return undefined;
  const issuerUrl = values['service-account-issuer'] ?? DEFAULT_ISSUER;
  const issuer = ServiceAccountIssuer.fromPem(issuerUrl, keyFiles.map((f) => readFileSync(f, 'utf8')),
    signing ? readFileSync(signing, 'utf8') : undefined);
  // Upstream: the audiences default to the issuer.
  const apiAudiences = values['api-audiences']?.split(',').filter(Boolean) ?? [issuerUrl];
  return { issuer, apiAudiences, getter: registryTokenGetter(reg) };
}
