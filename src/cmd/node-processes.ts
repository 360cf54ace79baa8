// The node half of `up`: this machine's containerd (its own config, root and socket under the data dir,
// images imported once it answers) and a kubelet for it, plus what they need first (certificates, the
// kubelet's kubeconfig, a pod CIDR no other local cluster routes, a port for the kubelet's API).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { NodeRecord } from './cluster-layout';
import { isPortFree, probeFreePorts } from './cluster-layout';
import type { ProcessSpec } from './supervisor';
import { CriClient } from '../node/cri/cri-client';
import { nodeLayout, podCidrFor, type NodeLayout } from '../node/node-layout';
import { writeRuntimeConfig } from '../node/runtime/containerd-config';
import { ensureNodeImages } from '../node/runtime/node-images';
import { hostIPv4 } from '../host-address';
import type { ClusterPki } from '../pki/cluster-pki';
import { buildKubeconfig, writeKubeconfig } from '../pki/kubeconfig';
import { ensureNodePki, type NodePki } from '../pki/node-pki';

export const DEFAULT_KUBELET_PORT = 10250;

export interface NodeContext {
  record: NodeRecord;
  layout: NodeLayout;
  pki: NodePki;
  kubeconfig: string;
  hostIP: string;
}

/** /24s already routed on this host (other clusters' bridges, or anything else). */
function routedCidrs(): Set<string> {
  try {
    const out = execFileSync('ip', ['-4', '-o', 'route', 'show'], { encoding: 'utf8' });
    return new Set(out.split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean));
  } catch { return new Set(); }
}

async function chooseNode(dataDir: string, previous: NodeRecord | undefined, nodeName: string): Promise<NodeRecord> {
  if (previous && previous.name === nodeName) return previous;
  const taken = routedCidrs();
  let podCidr = podCidrFor(dataDir);
  for (let shift = 1; taken.has(podCidr) && shift < 256; shift++) podCidr = podCidrFor(dataDir, shift);
  const kubeletPort = (await isPortFree(DEFAULT_KUBELET_PORT, '0.0.0.0')) ? DEFAULT_KUBELET_PORT : (await probeFreePorts(1, '0.0.0.0'))[0]!;
  return { name: nodeName, podCidr, kubeletPort };
}

export async function prepareNode(dataDir: string, pki: ClusterPki, server: string, previous: NodeRecord | undefined,
  nodeName: string): Promise<NodeContext> {
  const record = await chooseNode(dataDir, previous, nodeName);
  const layout = nodeLayout(dataDir, record.podCidr, record.name);
  const hostIP = hostIPv4();
  const ca = { certPem: readFileSync(pki.ca.cert, 'utf8'), keyPem: readFileSync(pki.ca.key, 'utf8') };
  const nodePki = ensureNodePki(pki.dir, ca, record.name, hostIP);
  const kubeconfig = path.join(layout.kubeletDir, 'kubeconfig');
  writeKubeconfig(kubeconfig, buildKubeconfig({
    name: 'kubelet', server, caPem: ca.certPem,
    clientCertPem: readFileSync(nodePki.kubeletClient.cert, 'utf8'), clientKeyPem: readFileSync(nodePki.kubeletClient.key, 'utf8'),
  }));
  return { record, layout, pki: nodePki, kubeconfig, hostIP };
}

async function criAnswers(socket: string): Promise<boolean> {
  const cri = new CriClient(socket, 2000);
  try { await cri.version(); return true; } catch { return false; } finally { cri.close(); }
}

export function containerdProcess(node: NodeContext): ProcessSpec {
  const n = node.layout;
  return {
    name: 'containerd',
    argv: ['containerd', '--config', n.configFile],
    prepare: () => writeRuntimeConfig(n),
    ready: () => criAnswers(n.socket),
    afterReady: async () => { ensureNodeImages(n.socket, n.imageCacheDir); },
    identity: ['--config', n.configFile],
  };
}

function kubeletHealthy(port: number, caPem: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/healthz', ca: caPem, servername: 'localhost', timeout: 2000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export function kubeletProcess(node: NodeContext, cliPath: string, caFile: string): ProcessSpec {
  const n = node.layout;
  return {
    name: 'kubelet',
    argv: [process.execPath, cliPath, 'kubelet', '--kubeconfig', node.kubeconfig, '--root-dir', n.kubeletDir,
      '--container-runtime-endpoint', `unix://${n.socket}`, '--hostname-override', n.nodeName, '--node-ip', node.hostIP,
      '--pod-cidr', n.podCidr, '--cgroup-root', n.cgroupParent, '--port', String(node.record.kubeletPort),
      '--tls-cert-file', node.pki.kubeletServing.cert, '--tls-private-key-file', node.pki.kubeletServing.key, '--client-ca-file', caFile],
    ready: () => kubeletHealthy(node.record.kubeletPort, readFileSync(caFile, 'utf8')),
    identity: ['--root-dir', n.kubeletDir],
  };
}

/** The kubelet's client certificate flags for the apiserver (pods/log goes through the kubelet). */
export function apiserverKubeletFlags(node: NodeContext | undefined): string[] {
  if (!node) return [];
  return ['--kubelet-client-certificate', node.pki.apiserverKubeletClient.cert, '--kubelet-client-key', node.pki.apiserverKubeletClient.key];
}

/**
 * Stops and removes every pod sandbox (and so its containers, network namespace and IP) in this data dir's
 * containerd, so stopping containerd leaves no container running behind it.
 */
export async function drainRuntime(dataDir: string): Promise<number> {
  const socket = nodeLayout(dataDir, '').socket;
  if (!(await criAnswers(socket))) return 0;
  const cri = new CriClient(socket);
  try {
    const sandboxes = await cri.listPodSandbox();
    const containers = await cri.listContainers();
    await Promise.all(containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => cri.stopContainer(c.id, 10).catch(() => undefined)));
    for (const s of sandboxes) {
      await cri.stopPodSandbox(s.id).catch(() => undefined);
      await cri.removePodSandbox(s.id).catch(() => undefined);
    }
    return sandboxes.length;
  } finally { cri.close(); }
}

/** Host state outside the data dir that a purged cluster leaves: its bridge and its cgroups. */
export function removeNodeHostState(dataDir: string): void {
  const n = nodeLayout(dataDir, '');
  try { execFileSync('ip', ['link', 'delete', n.bridge], { stdio: 'ignore' }); } catch { /* never created */ }
  for (const ctl of ['cpu', 'cpuacct', 'memory', 'pids', 'blkio', 'cpuset', 'devices', 'freezer', 'hugetlb', 'systemd', 'unified']) {
    try { execFileSync('find', [`/sys/fs/cgroup/${ctl}${n.cgroupParent}`, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';'], { stdio: 'ignore' }); } catch { /* absent */ }
  }
}
