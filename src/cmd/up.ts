// `kubets up`: brings a local cluster up — PKI, kubeconfig, an embedded etcd (unless --etcd-servers) and
// the control-plane roles as detached background processes — and is safe to re-run at any time.
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_APISERVER_PORT, DEFAULT_CONTEXT, chooseDnsLayout, chooseEtcdPorts, chooseIngressPorts, derivedIngressPorts, isPortFree, loadLayout, saveLayout,
  type ClusterLayout, type EtcdLayout,
} from './cluster-layout';
import { clusterFlagOptions, parseEtcdServers, parsePort, resolveDataDir } from './cluster-flags';
import { ALL_PROCESS_NAMES, clusterProcesses, processIdentity } from './components';
import { prepareNode } from './node-processes';
import { ensureRunning, inspect, logFile, runDirs, stopProcess } from './supervisor';
import { ensureClusterPki } from '../pki/cluster-pki';
import { ensureTokenFile } from '../pki/tokens';
import { mergeIntoKubeconfig, userKubeconfigPath, writeKubeconfig, buildKubeconfig, type KubeconfigEntry } from '../pki/kubeconfig';

const USAGE = `usage: kubets up [--data-dir DIR] [--apiserver-port N] [--etcd-servers URLS] [--context NAME] [--only NAMES]

  --data-dir DIR        cluster state: pki/, etcd/, logs/, run/, kubeconfig, cluster.json (default ~/.kubets)
  --apiserver-port N    HTTPS port of the apiserver on 127.0.0.1 (default 6443)
  --etcd-servers URLS   use this etcd (comma-separated http://host:port) instead of starting one
  --context NAME        cluster/user/context name merged into ~/.kube/config (default kubets)
  --node-name NAME      name of this machine's node (default: the host name)
  --only NAMES          start only these processes (comma-separated, e.g. etcd,apiserver) and leave the
                        others as they are; a later plain \`up\` starts the rest

Flags given once are remembered in <data-dir>/cluster.json, so a plain re-run restores the same cluster.
`;

const say = (line: string): void => { process.stdout.write(`${line}\n`); };

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: clusterFlagOptions, strict: true });
  if (values.help) { process.stdout.write(USAGE); return; }

  const only = values.only === undefined ? undefined : parseOnly(values.only);
  const dataDir = resolveDataDir(values['data-dir']);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dirs = runDirs(dataDir);
  const previous = loadLayout(dataDir);
  const apiserverPort = parsePort(values['apiserver-port'], 'apiserver-port') ?? previous?.apiserverPort ?? DEFAULT_APISERVER_PORT;
  const context = values.context ?? previous?.context ?? DEFAULT_CONTEXT;

  const running = (name: string): boolean =>
    inspect(dirs, name, undefined, processIdentity(name, dataDir)).kind === 'running';
  if (!running('apiserver') && !(await isPortFree(apiserverPort))) {
    throw new Error(`port ${apiserverPort} on 127.0.0.1 is taken by another process; choose another with --apiserver-port`);
  }
  const etcd = await chooseEtcd(values['etcd-servers'], apiserverPort, previous, running('etcd'));
  const ingress = await chooseIngressPorts(apiserverPort, previous?.ingress, running('ingress'),
    [etcd.clientPort, etcd.peerPort].filter((p): p is number => p !== undefined));

  const pki = ensureClusterPki(path.join(dataDir, 'pki'));
  const tokenFile = path.join(pki.dir, 'tokens.csv');
  ensureTokenFile(tokenFile);
  for (const f of pki.created) say(`kubets up: created ${f}`);

  const server = `https://127.0.0.1:${apiserverPort}`;
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  const layout: ClusterLayout = {
    version: 1, dataDir, context, apiserverPort, server, kubeconfig, etcd, ingress,
    dns: await chooseDnsLayout(apiserverPort, previous?.dns, running('dns')),
    processes: previous?.processes ?? {}, updatedAt: '',
  };
  const node = await prepareNode(dataDir, pki, server, previous?.node, (values['node-name'] ?? previous?.node?.name ?? os.hostname()).toLowerCase());
  layout.node = node.record;
  saveLayout(layout);

  const entry: KubeconfigEntry = {
    name: context, server, caPem: readFileSync(pki.ca.cert, 'utf8'),
    clientCertPem: readFileSync(pki.admin.cert, 'utf8'), clientKeyPem: readFileSync(pki.admin.key, 'utf8'),
  };
  writeKubeconfig(kubeconfig, buildKubeconfig(entry));

  const specs = clusterProcesses({ layout, pki, tokenFile, node });
  // A process `up` no longer runs (etcd after switching to --etcd-servers) is stopped rather than orphaned.
  for (const name of ALL_PROCESS_NAMES.filter((n) => !specs.some((s) => s.name === n))) {
    if ((await stopProcess(dirs, name, undefined, processIdentity(name, dataDir))) !== 'not-running') say(`kubets up: stopped ${name} (no longer used)`);
    delete layout.processes[name];
  }
  // New serving or client certificates are only read at start-up.
  const restartAll = pki.created.length > 0 || node.pki.created.length > 0;
  for (const spec of specs.filter((s) => !only || only.has(s.name))) {
    const r = await ensureRunning(dirs, spec, restartAll);
    layout.processes[spec.name] = {
      pid: r.pid, log: logFile(dirs, spec.name),
      startedAt: r.action === 'kept' ? layout.processes[spec.name]?.startedAt ?? '' : new Date().toISOString(),
    };
    saveLayout(layout);
    say(`kubets up: ${spec.name} ${r.action === 'kept' ? 'already running' : r.action} (pid ${r.pid}, log ${logFile(dirs, spec.name)})`);
  }

  const userConfig = userKubeconfigPath();
  mergeIntoKubeconfig(userConfig, entry);
  if (only) say(`kubets up: started only ${[...only].join(', ')}; a plain \`kubets up\` starts the rest`);
  say(`kubets up: cluster ready at ${server} (etcd ${etcd.servers.join(',')})`);
  const derived = derivedIngressPorts(apiserverPort);
  const how = derived?.httpPort === ingress.httpPort && derived.httpsPort === ingress.httpsPort
    ? (apiserverPort === DEFAULT_APISERVER_PORT ? 'the defaults' : 'derived from the apiserver port, so clusters do not collide')
    : 'free ports: the derived pair was unusable';
  say(`kubets up: ingress class "kubets" served on http port ${ingress.httpPort}, https port ${ingress.httpsPort} (${how})`);
  say(`kubets up: kubeconfig ${kubeconfig}; also merged into ${userConfig} as context "${context}" (now current)`);
  say(`kubets up: try: kubectl --kubeconfig ${kubeconfig} get ns`);
}

function parseOnly(flag: string): Set<string> {
  const names = flag.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !ALL_PROCESS_NAMES.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only: ${unknown.length ? `unknown process ${unknown.join(', ')}` : 'empty'}; processes are ${ALL_PROCESS_NAMES.join(', ')}`);
  }
  return new Set(names);
}

async function chooseEtcd(flag: string | undefined, apiserverPort: number, previous: ClusterLayout | undefined,
  etcdRunning: boolean): Promise<EtcdLayout> {
  if (flag !== undefined) return { embedded: false, servers: parseEtcdServers(flag) };
  if (previous && !previous.etcd.embedded) return previous.etcd;
  const ports = await chooseEtcdPorts(apiserverPort, previous?.etcd, etcdRunning);
  return { embedded: true, servers: [`http://127.0.0.1:${ports.clientPort}`], ...ports };
}
