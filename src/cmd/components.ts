// The processes a kubets cluster runs, in start order. `up` starts them top to bottom (each ready before
// the next) and `down` stops them bottom to top; a new role is one more line in clusterProcesses().
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_APISERVER_PORT, type ClusterLayout } from './cluster-layout';
import { apiserverReady, dnsAnswering, etcdHealthy } from './probes';
import type { ProcessSpec } from './supervisor';
import type { ClusterPki } from '../pki/cluster-pki';
import { apiserverKubeletFlags, containerdProcess, kubeletProcess, type NodeContext } from './node-processes';
import { nodeLayout } from '../node/node-layout';
import { dnsServiceIPOf } from '../registry/resources/service-allocator';

/** Everything a role's command line may need. */
export interface ClusterContext {
  layout: ClusterLayout;
  pki: ClusterPki;
  tokenFile: string;
  /** This machine's node (containerd and kubelet). */
  node?: NodeContext;
}

export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
export const SERVICE_NODE_PORT_RANGE = '30000-32767';

/** Every process name `up` may have started, including ones the current layout does not run (for `down`). */
export const ALL_PROCESS_NAMES = ['etcd', 'apiserver', 'controller-manager', 'scheduler', 'containerd', 'kubelet', 'dns', 'proxy', 'ingress'];

/** See ProcessSpec.identity: what marks a role's process as this data dir's, even without its pid file. */
export function processIdentity(name: string, dataDir: string): string[] | undefined {
  switch (name) {
    case 'etcd': return ['--data-dir', path.join(dataDir, 'etcd')];
    case 'apiserver': return ['--tls-cert-file', path.join(dataDir, 'pki', 'apiserver.crt')];
    case 'controller-manager': return ['controller-manager', '--kubeconfig', path.join(dataDir, 'kubeconfig')];
    case 'scheduler': return ['scheduler', '--kubeconfig', path.join(dataDir, 'kubeconfig')];
    case 'containerd': return ['--config', path.join(dataDir, 'containerd', 'config.toml')];
    case 'kubelet': return ['--root-dir', path.join(dataDir, 'kubelet')];
    case 'dns': return ['dns', '--kubeconfig', path.join(dataDir, 'kubeconfig')];
    case 'proxy': return ['proxy', '--kubeconfig', path.join(dataDir, 'kubeconfig')];
    case 'ingress': return ['ingress', '--kubeconfig', path.join(dataDir, 'kubeconfig')];
    default: return undefined;
  }
}

export function clusterProcesses(c: ClusterContext): ProcessSpec[] {
  return [
    ...(c.layout.etcd.embedded ? [etcdProcess(c.layout)] : []),
    apiserverProcess(c),
    controllerManagerProcess(c),
    schedulerProcess(c),
    ...(c.node ? [containerdProcess(c.node), kubeletProcess(c.node, cliPath(), c.pki.ca.cert, dnsServiceIPOf(SERVICE_CLUSTER_IP_RANGE))] : []),
    ...(c.layout.dns ? [dnsProcess(c)] : []),
    ...(canProgramIptables() ? [proxyProcess(c)] : []),
    ingressProcess(c),
  ];
}

/** Finds a program on PATH, as a shell would. */
export function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = path.join(dir || '.', program);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function etcdProcess(layout: ClusterLayout): ProcessSpec {
  const { clientPort, peerPort } = layout.etcd;
  if (!clientPort || !peerPort) throw new Error('embedded etcd has no ports in the layout');
  const bin = process.env.KUBETS_ETCD_BIN ?? which('etcd');
  if (!bin) throw new Error('etcd not found on PATH: run hack/install.sh (installs Debian\'s etcd-server)');
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return {
    name: 'etcd',
    argv: [bin, '--name', 'kubets', '--data-dir', path.join(layout.dataDir, 'etcd'),
      '--listen-client-urls', client, '--advertise-client-urls', client,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `kubets=${peer}`, '--initial-cluster-state', 'new', '--initial-cluster-token', 'kubets',
      // Keep an hour of history for watches to resume from, then compact so the db does not grow forever.
      '--auto-compaction-mode', 'periodic', '--auto-compaction-retention', '1h',
      '--logger', 'zap', '--log-outputs', 'stderr'],
    ready: () => etcdHealthy(client),
    identity: processIdentity('etcd', layout.dataDir),
  };
}

/** The built CLI: dist/src/cli.js next to this module once compiled, or the repo's dist when run from sources (tests). */
export function cliPath(): string {
  const compiled = path.resolve(__dirname, '..', 'cli.js');
  if (existsSync(compiled)) return compiled;
  return path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli.js');
}

export function apiserverProcess(c: ClusterContext): ProcessSpec {
  const caPem = readFileSync(c.pki.ca.cert, 'utf8');
  // Extra flags for the apiserver's node runtime (e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile it:
  // node refuses --cpu-prof in NODE_OPTIONS).
  const nodeFlags = (process.env.KUBETS_APISERVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  return {
    name: 'apiserver',
    // How far V8 lets the heap grow past the live data (mostly the watch cache) before the next full GC.
    // Its default nearly doubles it: 239 MB of RSS holding 10,000 pods. 20% held 166 MB but, as every
    // create grows the cache, ran a full GC about every 0.5 s of a create burst (15 per 5,000 creates,
    // a tenth of the apiserver's CPU); 100% holds 189 MB with 3 or 4 full GCs per 5,000 creates.
    argv: [process.execPath, '--heap-growing-percent=100', ...nodeFlags, cliPath(), 'apiserver',
      '--etcd-servers', c.layout.etcd.servers.join(','),
      // With a node, also its address: the `kubernetes` Service's endpoint, which pods reach through the proxy.
      '--secure-port', String(c.layout.apiserverPort), '--bind-address', c.node && c.node.hostIP !== '127.0.0.1' ? `127.0.0.1,${c.node.hostIP}` : '127.0.0.1',
      '--tls-cert-file', c.pki.apiserver.cert, '--tls-private-key-file', c.pki.apiserver.key,
      '--client-ca-file', c.pki.ca.cert, '--token-auth-file', c.tokenFile,
      '--service-account-key-file', c.pki.serviceAccount.pub, '--service-account-signing-key-file', c.pki.serviceAccount.key,
      '--service-cluster-ip-range', SERVICE_CLUSTER_IP_RANGE, '--service-node-port-range', SERVICE_NODE_PORT_RANGE,
      ...apiserverKubeletFlags(c.node)],
    ready: () => apiserverReady(c.layout.server, caPem),
    identity: processIdentity('apiserver', c.layout.dataDir),
  };
}

export function controllerManagerProcess(c: ClusterContext): ProcessSpec {
  // Extra flags for `up`'s controller-manager (e.g. a short --node-monitor-grace-period for tests);
  // without them it runs with upstream's defaults.
  const extra = (process.env.KUBETS_CONTROLLER_MANAGER_FLAGS ?? '').split(/\s+/).filter(Boolean);
  return {
    name: 'controller-manager',
    argv: [process.execPath, cliPath(), ...processIdentity('controller-manager', c.layout.dataDir)!, ...extra],
    // It waits for its Lease and informers by itself; being alive is enough for `up` to go on.
    ready: async () => true,
    identity: processIdentity('controller-manager', c.layout.dataDir),
  };
}

export function schedulerProcess(c: ClusterContext): ProcessSpec {
  return {
    name: 'scheduler',
    argv: [process.execPath, cliPath(), ...processIdentity('scheduler', c.layout.dataDir)!],
    // Like the controller-manager, it waits for its Lease and informers by itself.
    ready: async () => true,
    identity: processIdentity('scheduler', c.layout.dataDir),
  };
}

export function dnsProcess(c: ClusterContext): ProcessSpec {
  const dns = c.layout.dns;
  if (!dns) throw new Error('the layout has no DNS address');
  return {
    name: 'dns',
    // With a node, pods reach it through the kube-dns ClusterIP: it also listens on the node's address and
    // publishes that as the Service's endpoints; the layout's address stays where `up` probes it.
    argv: [process.execPath, cliPath(), ...processIdentity('dns', c.layout.dataDir)!,
      '--bind-address', c.node && c.node.hostIP !== dns.address ? `${dns.address},${c.node.hostIP}` : dns.address, '--port', String(dns.port),
      ...(c.node ? ['--advertise-address', c.node.hostIP] : [])],
    ready: () => dnsAnswering(dns.address, dns.port),
    identity: processIdentity('dns', c.layout.dataDir),
  };
}

/** The proxy needs root and iptables-restore; without them `up` runs the cluster without service rules. */
export function canProgramIptables(): boolean {
  return process.getuid?.() === 0 && which('iptables-restore') !== undefined;
}

/**
 * The chain prefix of a cluster's proxy: upstream's KUBE names for the default cluster (apiserver port
 * 6443) and for layouts without a node; any other cluster with a node gets its own prefix (its pods are
 * told apart by the node's pod CIDR), so test and side clusters share the host without touching its rules.
 */
export function proxyChainPrefix(dataDir: string, layout: ClusterLayout | undefined): string | undefined {
  if (!layout?.node || layout.apiserverPort === DEFAULT_APISERVER_PORT) return undefined;
  return nodeLayout(dataDir, layout.node.podCidr).chainPrefix;
}

export function proxyProcess(c: ClusterContext): ProcessSpec {
  const prefix = proxyChainPrefix(c.layout.dataDir, c.layout);
  return {
    name: 'proxy',
    argv: [process.execPath, cliPath(), ...processIdentity('proxy', c.layout.dataDir)!,
      '--service-cluster-ip-range', SERVICE_CLUSTER_IP_RANGE, '--service-node-port-range', SERVICE_NODE_PORT_RANGE,
      ...(prefix && c.layout.node ? ['--iptables-chain-prefix', prefix, '--cluster-cidr', c.layout.node.podCidr] : [])],
    // It waits for its informers (and for the host's iptables, if another cluster's proxy holds them).
    ready: async () => true,
    identity: processIdentity('proxy', c.layout.dataDir),
  };
}

export function ingressProcess(c: ClusterContext): ProcessSpec {
  const ports = c.layout.ingress;
  if (!ports) throw new Error('the layout has no ingress ports');
  return {
    name: 'ingress',
    argv: [process.execPath, cliPath(), ...processIdentity('ingress', c.layout.dataDir)!,
      '--http-port', String(ports.httpPort), '--https-port', String(ports.httpsPort)],
    // It serves once its informers have synced; being alive is enough for `up` to go on.
    ready: async () => true,
    identity: processIdentity('ingress', c.layout.dataDir),
  };
}
