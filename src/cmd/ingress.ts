// `kubets ingress`: the built-in ingress controller for the IngressClass `kubets`, an API client only.
// It routes HTTP and HTTPS on the node's address (and loopback, for clients on the node itself) to the
// Services the served Ingresses name, and reports that address in their status.
import { parseArgs } from 'node:util';
import { hostIPv4 } from '../host-address';
import { EventRecorder } from '../client/event-recorder';
import { InformerFactory } from '../client/informer-factory';
import { RestClient } from '../client/rest-client';
import { IngressController } from '../node/ingress/ingress-controller';
import { IngressProxy } from '../node/ingress/ingress-proxy';
import { issueCertificate, selfSignedCA } from '../pki/certs';
import { parsePort } from './cluster-flags';
import { logger } from '../log';

const usage = `usage: kubets ingress --kubeconfig FILE [--http-port 80] [--https-port 443] [--node-ip IP] [--bind-addresses IP,IP]

  --node-ip IP          the address reported in status.loadBalancer.ingress (default: the host's first IPv4 address)
  --bind-addresses IPS  where the listeners bind (default: the node IP and 127.0.0.1)`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      'http-port': { type: 'string', default: '80' },
      'https-port': { type: 'string', default: '443' },
      'node-ip': { type: 'string' },
      'bind-addresses': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.kubeconfig) { process.stderr.write(usage + '\n'); process.exit(values.help ? 0 : 2); }
  const httpPort = parsePort(values['http-port'], 'http-port')!;
  const httpsPort = parsePort(values['https-port'], 'https-port')!;
  const nodeIP = values['node-ip'] ?? hostIPv4();
  const addresses = values['bind-addresses']?.split(',').map((a) => a.trim()).filter(Boolean)
    ?? [...new Set([nodeIP, '127.0.0.1'])];
  const log = logger.child({ component: 'kubets-ingress' });

  // Served to clients whose server name no Ingress has a certificate for, as ingress controllers do.
  const ca = selfSignedCA('Kubernetes Ingress Controller Fake CA', 3650);
  const defaultCert = issueCertificate(ca, { commonName: 'Kubernetes Ingress Controller Fake Certificate', dnsNames: ['ingress.local'], usage: 'server', validDays: 3650 });

  const client = await RestClient.fromKubeConfigFile(values.kubeconfig, 'kubets-ingress');
  const informers = new InformerFactory(client);
  const controller = new IngressController({
    client, informers, nodeIP, defaultCert,
    recorder: new EventRecorder(client, 'kubets-ingress-controller'),
    log: (msg, fields) => log.info(fields ?? {}, msg),
  });
  await informers.start();
  controller.run();
  const proxy = new IngressProxy(controller, (msg, err) => log.warn({ err: String(err) }, msg));
  await proxy.listen({ addresses, httpPort, httpsPort, defaultCert });
  log.info({ addresses, httpPort, httpsPort, nodeIP }, 'ingress controller serving');

  const shutdown = (): void => { proxy.close(); controller.stop(); informers.stop(); client.close(); process.exit(0); };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
