// Flags shared by `kubets up` and `kubets down` (down accepts up's flags so the same command line works
// for both), and resolving the data dir.
import path from 'node:path';
import { homeDir } from '../pki/kubeconfig';

export const clusterFlagOptions = {
  'data-dir': { type: 'string' },
  'apiserver-port': { type: 'string' },
  'etcd-servers': { type: 'string' },
  context: { type: 'string' },
  'node-name': { type: 'string' },
  only: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function resolveDataDir(flag: string | undefined): string {
  const raw = flag ?? path.join(homeDir(), '.kubets');
  // The shell does not expand `--data-dir=~/x`, so do it here.
  const expanded = raw === '~' || raw.startsWith('~/') ? path.join(homeDir(), raw.slice(1)) : raw;
  return path.resolve(expanded);
}

export function parsePort(flag: string | undefined, name: string): number | undefined {
  if (flag === undefined) return undefined;
  const port = Number(flag);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--${name}: not a port number: ${flag}`);
  return port;
}

export function parseEtcdServers(flag: string): string[] {
  const servers = flag.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of servers) {
    if (!/^https?:\/\/[^/]+:\d+\/?$/.test(s)) throw new Error(`--etcd-servers: expected http://host:port, got ${s}`);
  }
  if (servers.length === 0) throw new Error('--etcd-servers: empty');
  return servers;
}
