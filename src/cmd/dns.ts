// `kubets dns`: the cluster DNS server (the kube-dns Service's backend), an API client that watches
// Services and their endpoints and answers for the cluster domain on UDP and TCP. It starts answering only
// once its informers have listed, so a restart never serves an empty zone.
import { parseArgs } from 'node:util';
import { InformerFactory } from '../client/informer-factory';
import { RestClient } from '../client/rest-client';
import { logger } from '../log';
import { ClusterZone } from '../node/dns/cluster-zone';
import { DNS_SERVICE, publishDnsBackend } from '../node/dns/dns-endpoints';
import { startDnsServer } from '../node/dns/dns-server';
import { serviceKey } from '../node/service-backends';
import { ServiceWatch, backendSource } from '../node/service-watch';

const usage = `usage: kubets dns --kubeconfig FILE [--bind-address IP[,IP...]] [--port N] [--cluster-domain cluster.local] [--advertise-address IP]

--bind-address          one socket pair per address (UDP replies must leave from the address the query
                        reached, so an unspecified address would not do for pods)
--advertise-address IP  publish IP:port as the kube-dns Service's endpoints (its ClusterIP then reaches this
                        server through the proxy); the address must be one the server listens on.`;

/** How often the published endpoints are checked again, besides every change the informers report. */
const PUBLISH_RESYNC_MS = 30_000;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '53' },
      'cluster-domain': { type: 'string', default: 'cluster.local' },
      'advertise-address': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.kubeconfig) { process.stderr.write(usage + '\n'); process.exit(values.help ? 0 : 2); }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: invalid port ${values.port}`);
  const log = logger.child({ component: 'kube-dns' });
  const client = await RestClient.fromKubeConfigFile(values.kubeconfig, 'kube-dns');
  const informers = new InformerFactory(client);
  const source = await backendSource(client);
  const watch = new ServiceWatch(informers, source);
  const domain = values['cluster-domain'];

  let zone = new ClusterZone([], { domain });
  // Rebuilding the whole zone is a few milliseconds for thousands of services; coalesce bursts of events.
  let pending = false;
  watch.onChange(() => {
    if (pending) return;
    pending = true;
    setImmediate(() => { pending = false; zone = new ClusterZone(watch.all(), { domain }); });
  });
  await informers.start();
  zone = new ClusterZone(watch.all(), { domain });
  const addresses = values['bind-address'].split(',').filter(Boolean);
  const servers = [await startDnsServer(addresses[0]!, port, () => zone)];
  // With port 0 the kernel's choice for the first address is used for the others.
  for (const a of addresses.slice(1)) servers.push(await startDnsServer(a, servers[0]!.port, () => zone));
  const server = servers[0]!;
  log.info({ addresses, port: server.port, source, domain }, 'serving cluster DNS');
  let resync: NodeJS.Timeout | undefined;
  const advertise = values['advertise-address'];
  if (advertise) {
    const backend = { ip: advertise, port: server.port };
    const publish = () => publishDnsBackend(client, backend, source === 'endpointslices')
      .catch((err: unknown) => log.warn({ err: String(err) }, 'could not publish the kube-dns endpoints'));
    const dnsKey = serviceKey(DNS_SERVICE.namespace, DNS_SERVICE.name);
    watch.onChange((key) => { if (key === dnsKey) void publish(); });
    resync = setInterval(() => void publish(), PUBLISH_RESYNC_MS);
    await publish();
    log.info(backend, 'published as the kube-dns endpoints');
  }
  const stop = () => { clearInterval(resync); informers.stop(); void Promise.all(servers.map((x) => x.close())).then(() => process.exit(0)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
