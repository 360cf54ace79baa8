// <data-dir>/cluster.json — what `up` chose (ports, etcd endpoints, context, pids) so later `up`/`down`
// runs agree with it — and the port scheme that lets several clusters share one host.
//
// Port scheme: the embedded etcd's ports follow the apiserver port, two per cluster:
//   client = 2379 + 2 * (apiserverPort - 6443), peer = client + 1
// so the default cluster gets etcd's usual 2379/2380, `--apiserver-port 16443` gets 22379/22380, and clusters
// whose apiserver ports differ never collide. When that pair is out of range (< 1024 or > 65535), hits the
// apiserver port, or is busy, two free ports are probed instead; either way the choice is persisted here and
// reused on later starts.
//
// The ingress controller's HTTP/HTTPS ports follow the same idea: the default cluster (6443) gets 80/443;
// any other gets http = 8080 + 2 * (apiserverPort - 6443), https = http + 1 (16443 -> 28080/28081), so a
// developer's cluster and the test suite's never fight over 80/443; probed free ports when that pair is
// unusable; persisted like etcd's.
import { existsSync, readFileSync } from 'node:fs';
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';
import { writeFileAtomic } from '../pki/files';

export const DEFAULT_APISERVER_PORT = 6443;
export const DEFAULT_CONTEXT = 'kubets';
const ETCD_BASE_CLIENT_PORT = 2379;
const INGRESS_BASE_HTTP_PORT = 8080;

export interface EtcdLayout {
  /** True when `up` runs its own etcd; false when --etcd-servers pointed at an existing one. */
  embedded: boolean;
  /** Client URLs handed to the apiserver's --etcd-servers. */
  servers: string[];
  clientPort?: number;
  peerPort?: number;
}

/** What `up` chose for this machine's node, kept so later starts reuse it. */
export interface NodeRecord { name: string; podCidr: string; kubeletPort: number }

/** Where `kubets dns` listens (UDP and TCP) until the kube-dns ClusterIP is made reachable to it. */
export interface DnsLayout { address: string; port: number }

export interface IngressPorts { httpPort: number; httpsPort: number }

export interface ProcessRecord { pid: number; log: string; startedAt: string }

export interface ClusterLayout {
  version: 1;
  dataDir: string;
  context: string;
  apiserverPort: number;
  server: string;
  kubeconfig: string;
  etcd: EtcdLayout;
  dns?: DnsLayout;
  /** Where the built-in ingress controller listens (absent in layouts written before it existed). */
  ingress?: IngressPorts;
  processes: Record<string, ProcessRecord>;
  node?: NodeRecord;
  updatedAt: string;
}

export function layoutPath(dataDir: string): string {
  return path.join(dataDir, 'cluster.json');
}

export function loadLayout(dataDir: string): ClusterLayout | undefined {
  const file = layoutPath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as ClusterLayout;
    return parsed.version === 1 ? parsed : undefined;
  } catch {
    // A hand-damaged cluster.json should not brick the cluster: fall back to flags and defaults.
    return undefined;
  }
}

export function saveLayout(layout: ClusterLayout): void {
  writeFileAtomic(layoutPath(layout.dataDir), JSON.stringify({ ...layout, updatedAt: new Date().toISOString() }, null, 2) + '\n');
}

/** The scheme's etcd ports for an apiserver port, or undefined when the pair falls outside usable ports. */
export function derivedEtcdPorts(apiserverPort: number): { clientPort: number; peerPort: number } | undefined {
  const clientPort = ETCD_BASE_CLIENT_PORT + 2 * (apiserverPort - DEFAULT_APISERVER_PORT);
  const peerPort = clientPort + 1;
  if (clientPort < 1024 || peerPort > 65535) return undefined;
  if (clientPort === apiserverPort || peerPort === apiserverPort) return undefined;
  return { clientPort, peerPort };
}

/** Whether nothing listens on 127.0.0.1:port right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** `count` distinct ports the kernel says are free now. */
export async function probeFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    // Hold every socket open until all are chosen, so the kernel cannot hand out the same port twice.
    for (let i = 0; i < count; i++) {
      const srv = net.createServer();
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port: 0, host, exclusive: true }, () => resolve());
      });
      servers.push(srv);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/**
 * The embedded etcd's ports: the persisted pair if still ours to use, else the scheme's pair if free,
 * else probed ones. `etcdRunning` says our own etcd is alive (so its busy ports are no conflict).
 */
export async function chooseEtcdPorts(apiserverPort: number, previous: EtcdLayout | undefined, etcdRunning: boolean):
  Promise<{ clientPort: number; peerPort: number }> {
  const bothFree = async (p: { clientPort: number; peerPort: number }): Promise<boolean> =>
    p.clientPort !== apiserverPort && p.peerPort !== apiserverPort
    && (await isPortFree(p.clientPort)) && (await isPortFree(p.peerPort));
  if (previous?.embedded && previous.clientPort && previous.peerPort) {
    const prev = { clientPort: previous.clientPort, peerPort: previous.peerPort };
    if (etcdRunning || (await bothFree(prev))) return prev;
  }
  const derived = derivedEtcdPorts(apiserverPort);
  if (derived && (await bothFree(derived))) return derived;
  // Ask for one spare: the apiserver's port may itself be in the kernel's ephemeral range and not bound yet.
  const [clientPort, peerPort] = (await probeFreePorts(3)).filter((p) => p !== apiserverPort);
  return { clientPort: clientPort!, peerPort: peerPort! };
}

/**
 * The cluster DNS port on 127.0.0.1 follows the apiserver port as etcd's do: 1053 + (apiserverPort - 6443),
 * so the default cluster gets 1053 and `--apiserver-port 15443` gets 10053; the persisted port is kept,
 * and a busy or out-of-range one is replaced by a probed free port.
 */
export async function chooseDnsLayout(apiserverPort: number, previous: DnsLayout | undefined, dnsRunning: boolean): Promise<DnsLayout> {
  const address = '127.0.0.1';
  const usable = async (port: number) => port !== apiserverPort && (await isPortFree(port, address)) && (await isUdpPortFree(port, address));
  if (previous && (dnsRunning || (await usable(previous.port)))) return previous;
  const derived = DNS_BASE_PORT + (apiserverPort - DEFAULT_APISERVER_PORT);
  if (derived >= 1024 && derived <= 65535 && (await usable(derived))) return { address, port: derived };
  for (;;) {
    const [port] = await probeFreePorts(1, address);
    if (await usable(port)) return { address, port };
  }
}

const DNS_BASE_PORT = 1053;

export function isUdpPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', () => { sock.close(); resolve(false); });
    sock.bind(port, host, () => sock.close(() => resolve(true)));
  });
}

/** The scheme's ingress ports for an apiserver port (80/443 for the default cluster), or undefined when out of range. */
export function derivedIngressPorts(apiserverPort: number): IngressPorts | undefined {
  if (apiserverPort === DEFAULT_APISERVER_PORT) return { httpPort: 80, httpsPort: 443 };
  const httpPort = INGRESS_BASE_HTTP_PORT + 2 * (apiserverPort - DEFAULT_APISERVER_PORT);
  const httpsPort = httpPort + 1;
  if (httpPort < 1024 || httpsPort > 65535 || httpPort === apiserverPort || httpsPort === apiserverPort) return undefined;
  return { httpPort, httpsPort };
}

/**
 * The ingress ports: the persisted pair while still ours (`running`: our ingress controller holds them),
 * else the scheme's pair if free on every address, else probed ones. `taken` are ports already chosen
 * for this cluster (etcd's).
 */
export async function chooseIngressPorts(apiserverPort: number, previous: IngressPorts | undefined, running: boolean,
  taken: number[]): Promise<IngressPorts> {
  const usable = async (p: IngressPorts): Promise<boolean> =>
    ![apiserverPort, ...taken].some((t) => t === p.httpPort || t === p.httpsPort)
    && (await isPortFree(p.httpPort, '0.0.0.0')) && (await isPortFree(p.httpsPort, '0.0.0.0'));
  if (previous && (running || (await usable(previous)))) return previous;
  const derived = derivedIngressPorts(apiserverPort);
  if (derived && (await usable(derived))) return derived;
  const [httpPort, httpsPort] = (await probeFreePorts(2 + taken.length + 1, '0.0.0.0'))
    .filter((p) => p !== apiserverPort && !taken.includes(p));
  return { httpPort: httpPort!, httpsPort: httpsPort! };
}
