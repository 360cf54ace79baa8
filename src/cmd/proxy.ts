// `kubets proxy`: kube-proxy in iptables mode, an API client watching Services and their endpoints and
// programming the nat/filter chains with iptables-restore; also fills in LoadBalancer status with the
// node address, and runs the node's NetworkPolicy agent (filter chains of the same prefix).
// `--cleanup` removes every chain and jump it installs, as upstream's flag does.
import { parseArgs } from 'node:util';
import type { Service } from 'kubernetes-types/core/v1';
import { InformerFactory } from '../client/informer-factory';
import { resources } from '../client/resource-ref';
import { RestClient } from '../client/rest-client';
import { WorkQueue, runWorkers } from '../client/work-queue';
import { splitKey } from '../client/informer';
import { hostIPv4 } from '../host-address';
import { logger } from '../log';
import { chainSet, UPSTREAM_PREFIX } from '../node/proxy/chain-names';
import { cleanupRules } from '../node/proxy/cleanup';
import { acquireHostLock } from '../node/proxy/host-lock';
import { IptablesRunner } from '../node/proxy/iptables-runner';
import { loadBalancerStatusPatch } from '../node/proxy/load-balancer-status';
import { Proxier } from '../node/proxy/proxier';
import { ServiceWatch, backendSource } from '../node/service-watch';
import { ensureBridgeNetfilter } from '../node/netpol/bridge-netfilter';
import { NetworkPolicyAgent } from '../node/netpol/netpol-agent';
import { netpolChains } from '../node/netpol/netpol-chains';
import { SERVICE_CLUSTER_IP_RANGE, SERVICE_NODE_PORT_RANGE } from './components';

const usage = `usage: kubets proxy --kubeconfig FILE [--min-sync-period 1s] [--sync-period 30s] [--cluster-cidr CIDR]
       [--masquerade-all] [--node-ip IP] [--service-cluster-ip-range CIDR] [--service-node-port-range A-B] [--netns NAME]
       [--iptables-chain-prefix KUBE] [--no-network-policy]
       kubets proxy --cleanup [--netns NAME] [--iptables-chain-prefix KUBE]

--iptables-chain-prefix replaces KUBE in every chain name: a cluster with its own prefix shares the host
with other clusters' proxies (pod traffic is told apart by --cluster-cidr); upstream's KUBE names go to one
proxy per host at a time.
--no-network-policy leaves NetworkPolicy unenforced (otherwise the role also programs the policy chains).`;

function duration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m) throw new Error(`--${flag}: invalid duration ${text} (e.g. 1s, 500ms, 1m)`);
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[m[2] as 'ms' | 's' | 'm'];
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      'min-sync-period': { type: 'string', default: '1s' },
      'sync-period': { type: 'string', default: '30s' },
      'cluster-cidr': { type: 'string' },
      'masquerade-all': { type: 'boolean', default: false },
      'node-ip': { type: 'string' },
      'service-cluster-ip-range': { type: 'string', default: SERVICE_CLUSTER_IP_RANGE },
      'service-node-port-range': { type: 'string', default: SERVICE_NODE_PORT_RANGE },
      netns: { type: 'string' },
      'iptables-chain-prefix': { type: 'string', default: UPSTREAM_PREFIX },
      cleanup: { type: 'boolean', default: false },
      'no-network-policy': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(usage + '\n'); return; }
  const log = logger.child({ component: 'kube-proxy' });
  const runner = new IptablesRunner({ netns: values.netns });
  const chains = chainSet(values['iptables-chain-prefix']);
  if (values.cleanup) {
    await cleanupRules(runner, chains);
    log.info('removed the proxy\'s iptables chains and jumps');
    return;
  }
  if (!values.kubeconfig) { process.stderr.write(usage + '\n'); process.exit(2); }
  const nodeIP = values['node-ip'] ?? hostIPv4();
  const client = await RestClient.fromKubeConfigFile(values.kubeconfig, 'kube-proxy');
  const informers = new InformerFactory(client);
  const watch = new ServiceWatch(informers, await backendSource(client));
  const minSyncPeriodMs = duration(values['min-sync-period'], 'min-sync-period');
  const syncPeriodMs = duration(values['sync-period'], 'sync-period');
  const proxier = new Proxier(watch, runner, {
    minSyncPeriodMs, syncPeriodMs,
    rules: {
      serviceCIDR: values['service-cluster-ip-range'], nodePortRange: values['service-node-port-range'],
      clusterCIDR: values['cluster-cidr'], masqueradeAll: values['masquerade-all'], chains,
    },
    log: (msg, fields) => log.info(fields ?? {}, msg),
  });

  const netpolLog = logger.child({ component: 'network-policy' });
  const netpol = values['no-network-policy'] ? undefined : new NetworkPolicyAgent(informers, runner, {
    chains: netpolChains(chains.prefix), minSyncPeriodMs, syncPeriodMs,
    log: (msg, fields) => netpolLog.info(fields ?? {}, msg),
  });

  const statusQueue = new WorkQueue('loadbalancer-status');
  watch.onChange((key) => { proxier.changed(key); statusQueue.add(key); });
  await informers.start();
  // Upstream's chain names allow one proxy per host; another cluster's proxy keeps them until it stops.
  if (!values.netns && chains.prefix === UPSTREAM_PREFIX) {
    await acquireHostLock(5000, () => log.warn('another kubets proxy owns this host\'s iptables service chains; waiting'));
  }
  await proxier.start();
  if (netpol) {
    if (!values.netns) ensureBridgeNetfilter((msg) => netpolLog.info(msg));
    await netpol.start();
  }
  log.info({ nodeIP, source: watch.source }, 'proxy started');
  for (const b of watch.all()) statusQueue.add(`${b.service.metadata?.namespace}/${b.service.metadata?.name}`);
  void runWorkers(statusQueue, 1, async (key) => {
    const svc = watch.get(key)?.service as Service | undefined;
    const patch = svc && loadBalancerStatusPatch(svc, nodeIP);
    if (!patch) return;
    const { namespace, name } = splitKey(key);
    await client.patch(resources.services, namespace, name, patch, 'merge', 'status');
  }, (key, err) => log.warn({ key, err: String(err) }, 'could not write load balancer status'));

  const stop = () => { proxier.stop(); netpol?.stop(); statusQueue.shutdown(); informers.stop(); process.exit(0); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
