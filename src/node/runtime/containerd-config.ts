// The containerd configuration and CNI network a cluster's node runs with, written under the data dir:
// containerd's own root/state/socket (never the system's /run/containerd), the CRI plugin on, CNI
// plugins from Debian's /usr/lib/cni, and a bridge conflist with host-local IPAM for the node's pod CIDR.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../pki/files';
import { SANDBOX_IMAGE, type NodeLayout } from '../node-layout';

export const CNI_BIN_DIR = '/usr/lib/cni';

/** containerd 1.6 config (version 2 schema). */
export function containerdConfig(n: NodeLayout): string {
  const q = JSON.stringify;
  const cri = '[plugins."io.containerd.grpc.v1.cri"]';
  return `version = 2
root = ${q(path.join(n.containerdDir, 'root'))}
state = ${q(path.join(n.containerdDir, 'state'))}
# Snapshotters this host cannot use only add start-up noise.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = ${q(n.socket)}

[ttrpc]
  address = ${q(`${n.socket}.ttrpc`)}

[debug]
  level = "info"

${cri}
  sandbox_image = ${q(SANDBOX_IMAGE)}
  # This VM refuses a negative oom_score_adj, which the pause container asks for (-998).
  restrict_oom_score_adj = true
  # The streaming server (exec/attach/port-forward) on loopback, on a port the kernel picks.
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  netns_mounts_under_state_dir = true
  max_container_log_line_size = 16384

${cri.slice(0, -1)}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

${cri.slice(0, -1)}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

${cri.slice(0, -1)}.containerd.runtimes.runc.options]
  SystemdCgroup = false

${cri.slice(0, -1)}.cni]
  bin_dir = ${q(CNI_BIN_DIR)}
  conf_dir = ${q(n.cniConfDir)}
  max_conf_num = 1
`;
}

/** A bridge network with host-local IPAM on the node's pod CIDR, plus portmap (hostPort) and loopback. */
export function cniConflist(n: NodeLayout): object {
  const [base] = n.podCidr.split('/');
  const gateway = base!.replace(/\.0$/, '.1');
  return {
    cniVersion: '0.4.0',
    name: n.network,
    plugins: [
      {
        type: 'bridge', bridge: n.bridge, isGateway: true, ipMasq: true, hairpinMode: true,
        ipam: { type: 'host-local', dataDir: n.cniDataDir, ranges: [[{ subnet: n.podCidr, gateway }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

/** Writes containerd's config and the CNI conflist (containerd's CRI plugin adds loopback itself). */
export function writeRuntimeConfig(n: NodeLayout): void {
  mkdirSync(n.containerdDir, { recursive: true, mode: 0o700 });
  mkdirSync(n.cniConfDir, { recursive: true });
  writeFileAtomic(n.configFile, containerdConfig(n));
  writeFileAtomic(path.join(n.cniConfDir, '10-kubets.conflist'), JSON.stringify(cniConflist(n), null, 2) + '\n');
}
