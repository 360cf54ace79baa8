// `kubets dns`: the cluster DNS server (the kube-dns Service's backend), an API client that watches
// Services and their endpoints and answers for the cluster domain on UDP and TCP. It starts answering only
// once its informers have listed, so a restart never serves an empty zone.
import { parseArgs } from 'node:util';
import { InformerFactory } from '../client/informer-factory';
import { RestClient } from '../client/rest-client';
import { logger } from '../log';
import { ClusterZone } from '../node/dns/cluster-zone';
import { startDnsServer } from '../node/dns/dns-server';
import { ServiceWatch, backendSource } from '../node/service-watch';

const usage = 'usage: kubets dns --kubeconfig FILE [--bind-address IP] [--port N] [--cluster-domain cluster.local]';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '53' },
      'cluster-domain': { type: 'string', default: 'cluster.local' },
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
  const server = await startDnsServer(values['bind-address'], port, () => zone);
  log.info({ address: values['bind-address'], port: server.port, source, domain }, 'serving cluster DNS');
  const stop = () => { informers.stop(); void server.close().then(() => process.exit(0)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
