// Where one cluster's node keeps its host-level state, all derived from the data dir so that two clusters
// on one machine (a developer's and the test suite's) never share a containerd, CNI network or cgroup.
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

export interface NodeLayout {
  nodeName: string;
  /** containerd's root, state, socket and config live here. */
  containerdDir: string;
  socket: string;
  configFile: string;
  /** CNI conflist directory and host-local IPAM state. */
  cniConfDir: string;
  cniDataDir: string;
  /** CNI network name, Linux bridge name (at most 15 characters) and the node's pod CIDR. */
  network: string;
  bridge: string;
  podCidr: string;
  /** cgroupfs parent under which every pod's cgroup is made. */
  cgroupParent: string;
  /** The kubelet's root: pod volumes, container logs, its certificates. */
  kubeletDir: string;
  imageCacheDir: string;
}

export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.9';

/** A short stable tag for a data dir: the same dir always gets the same names. */
export function dataDirTag(dataDir: string): string {
  return createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 6);
}

/** The /24 a data dir's node gets inside 10.244.0.0/16; `shift` moves to the next one when that is taken. */
export function podCidrFor(dataDir: string, shift = 0): string {
  const octet = (parseInt(dataDirTag(dataDir).slice(0, 4), 16) + shift) % 256;
  return `10.244.${octet}.0/24`;
}

export function nodeLayout(dataDir: string, podCidr: string, nodeName = os.hostname().toLowerCase()): NodeLayout {
  const tag = dataDirTag(dataDir);
  const containerdDir = path.join(dataDir, 'containerd');
  return {
    nodeName,
    containerdDir,
    socket: path.join(containerdDir, 'containerd.sock'),
    configFile: path.join(containerdDir, 'config.toml'),
    cniConfDir: path.join(dataDir, 'cni', 'net.d'),
    cniDataDir: path.join(dataDir, 'cni', 'ipam'),
    network: `kubets-${tag}`,
    bridge: `kubets${tag}`,
    podCidr,
    cgroupParent: `/kubets-${tag}`,
    kubeletDir: path.join(dataDir, 'kubelet'),
    imageCacheDir: path.join(dataDir, 'images'),
  };
}
