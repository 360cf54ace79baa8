// `kubets controller-manager`: runs the controllers against the apiserver as an API client only, after
// winning the kube-system/kube-controller-manager Lease so that two replicas can run safely.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { EventRecorder } from '../client/event-recorder';
import { InformerFactory } from '../client/informer-factory';
import { LeaderElector } from '../client/leader-election';
import { RestClient } from '../client/rest-client';
import { controllerFactories } from '../controllers/controller-list';
import { logger } from '../log';

const usage = `usage: kubets controller-manager --kubeconfig FILE [--controllers a,b|*] [--leader-elect=false] [--concurrent-syncs N]`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      controllers: { type: 'string', default: '*' },
      'leader-elect': { type: 'string', default: 'true' },
      'concurrent-syncs': { type: 'string', default: '5' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.kubeconfig) { process.stderr.write(usage + '\n'); process.exit(values.help ? 0 : 2); }
  const log = logger.child({ component: 'kube-controller-manager' });
  const client = await RestClient.fromKubeConfigFile(values.kubeconfig, 'kube-controller-manager');
  const wanted = values.controllers === '*' ? Object.keys(controllerFactories) : values.controllers.split(',');
  for (const name of wanted) if (!controllerFactories[name]) throw new Error(`--controllers: unknown controller ${name}`);
  const workers = Number(values['concurrent-syncs']);
  const identity = `${os.hostname()}_${process.pid}`;

  const start = async (): Promise<void> => {
    const informers = new InformerFactory(client);
    const ctx = {
      client, informers,
      recorder: new EventRecorder(client, 'kube-controller-manager'),
      log: (msg: string, fields?: Record<string, unknown>) => log.info(fields ?? {}, msg),
    };
    const controllers = wanted.map((n) => controllerFactories[n](ctx));
    await informers.start();
    for (const c of controllers) { c.run(workers); log.info({ controller: c.name }, 'started controller'); }
  };

  if (values['leader-elect'] === 'false') { await start(); return; }
  new LeaderElector({
    client, namespace: 'kube-system', name: 'kube-controller-manager', identity,
    onStartedLeading: () => { void start().catch((err: unknown) => { log.error({ err }, 'controllers failed to start'); process.exit(1); }); },
    // As upstream: a replica that lost the lease exits, and its restart begins again from the API.
    onStoppedLeading: () => { log.error('leaderelection lost'); process.exit(1); },
    log: (m) => log.info(m),
  }).run();
}
