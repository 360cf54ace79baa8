// `kubets scheduler`: binds pending pods to nodes as an API client only, after winning the
// kube-system/kube-scheduler Lease so that two replicas can run safely.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { EventRecorder } from '../client/event-recorder';
import { InformerFactory } from '../client/informer-factory';
import { LeaderElector } from '../client/leader-election';
import { RestClient } from '../client/rest-client';
import { logger } from '../log';
import { Scheduler } from '../scheduler/scheduler';

const usage = `usage: kubets scheduler --kubeconfig FILE [--leader-elect=false] [--scheduler-name default-scheduler]`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      'leader-elect': { type: 'string', default: 'true' },
      'scheduler-name': { type: 'string', default: 'default-scheduler' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.kubeconfig) { process.stderr.write(usage + '\n'); process.exit(values.help ? 0 : 2); }
  const log = logger.child({ component: 'kube-scheduler' });
  const client = await RestClient.fromKubeConfigFile(values.kubeconfig, 'kube-scheduler');
  const schedulerName = values['scheduler-name'];
  const identity = `${os.hostname()}_${process.pid}`;

  const start = async (): Promise<void> => {
    const scheduler = new Scheduler({
      client, schedulerName,
      informers: new InformerFactory(client),
      recorder: new EventRecorder(client, schedulerName),
      log: (msg, fields) => log.info(fields ?? {}, msg),
    });
    await scheduler.watchPriorityClassesIfServed();
    log.info({ schedulerName }, 'starting scheduler');
    await scheduler.run();
  };
  const fail = (err: unknown) => { log.error({ err }, 'scheduler failed'); process.exit(1); };

  if (values['leader-elect'] === 'false') { await start(); return; }
  new LeaderElector({
    client, namespace: 'kube-system', name: 'kube-scheduler', identity,
    onStartedLeading: () => { void start().catch(fail); },
    // As upstream: a replica that lost the lease exits, and its restart begins again from the API.
    onStoppedLeading: () => { log.error('leaderelection lost'); process.exit(1); },
    log: (m) => log.info(m),
  }).run();
}
