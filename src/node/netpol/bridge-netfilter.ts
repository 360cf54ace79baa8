// Pods on one node talk across the CNI bridge, which iptables sees only with br_netfilter loaded and
// net.bridge.bridge-nf-call-iptables on; without them policy would not apply between pods of a node.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const SYSCTL = '/proc/sys/net/bridge/bridge-nf-call-iptables';

/** Loads the module and turns the sysctl on when needed; says what it changed, or why it could not. */
export function ensureBridgeNetfilter(log: (msg: string) => void): void {
  if (!existsSync(SYSCTL)) {
    try {
      execFileSync('modprobe', ['br_netfilter'], { stdio: 'ignore' });
      log('loaded the br_netfilter module, so traffic between pods on the bridge passes iptables');
    } catch (err) {
      log(`could not load br_netfilter (${String(err)}): NetworkPolicy does not apply between pods of this node`);
      return;
    }
  }
  if (readFileSync(SYSCTL, 'utf8').trim() === '1') return;
  writeFileSync(SYSCTL, '1');
  log('set net.bridge.bridge-nf-call-iptables=1, so traffic between pods on the bridge passes iptables');
}
