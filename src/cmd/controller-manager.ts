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

const usage = `usage: kubets controller-manager --kubeconfig FILE [--controllers a,b|*] [--leader-elect=false] [--concurrent-syncs N]
  [--node-monitor-period 5s] [--node-monitor-grace-period 40s] [--node-startup-grace-period 1m]
  [--terminated-pod-gc-threshold 12500] [--pod-gc-period 20s] [--pod-gc-orphan-quarantine 40s]`;

/** A Go duration as the upstream flags take it: "40s", "1m30s", "500ms", "1h". */
export function parseDuration(flag: string, s: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== s) throw new Error(`--${flag}: invalid duration ${JSON.stringify(s)}`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]], 0);
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      controllers: { type: 'string', default: '*' },
      'leader-elect': { type: 'string', default: 'true' },
      'concurrent-syncs': { type: 'string', default: '5' },
      'node-monitor-period': { type: 'string', default: '5s' },
      'node-monitor-grace-period': { type: 'string', default: '40s' },
      'node-startup-grace-period': { type: 'string', default: '1m' },
      'terminated-pod-gc-threshold': { type: 'string', default: '12500' },
      'pod-gc-period': { type: 'string', default: '20s' },
      'pod-gc-orphan-quarantine': { type: 'string', default: '40s' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.kubeconfig) { process.stderr.write(usage + '\n'); process.exit(values.help ? 0 : 2); }
  const log = logger.child({ component: 'kube-controller-manager' });
  const client = await RestClient.fromKubeConfigFile(values.kubeconfig, 'kube-controller-manager');
  const wanted = values.controllers === '*' ? Object.keys(controllerFactories) : values.controllers.split(',');
  for (const name of wanted) if (!controllerFactories[name]) throw new Error(`--controllers: unknown controller ${name}`);
  const workers = Number(values['concurrent-syncs']);
  const settings = {
    nodeMonitorPeriodMs: parseDuration('node-monitor-period', values['node-monitor-period']),
    nodeMonitorGracePeriodMs: parseDuration('node-monitor-grace-period', values['node-monitor-grace-period']),
    nodeStartupGracePeriodMs: parseDuration('node-startup-grace-period', values['node-startup-grace-period']),
    terminatedPodGcThreshold: Number(values['terminated-pod-gc-threshold']),
    podGcPeriodMs: parseDuration('pod-gc-period', values['pod-gc-period']),
    podGcOrphanQuarantineMs: parseDuration('pod-gc-orphan-quarantine', values['pod-gc-orphan-quarantine']),
  };
  const identity = `${os.hostname()}_${process.pid}`;

  const start = async (): Promise<void> => {
    const informers = new InformerFactory(client);
    const ctx = {
      settings, client, informers,
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
