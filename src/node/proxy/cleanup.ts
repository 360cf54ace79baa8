// Removes the proxy's chains and jump rules in one iptables-restore (upstream's `kube-proxy --cleanup`),
// then those of the NetworkPolicy agent the proxy role runs beside it.
import { tryHostLock } from './host-lock';
import { chainSet, UPSTREAM_PREFIX, type ChainSet } from './chain-names';
import { buildCleanup, parseSave } from './iptables-rules';
import type { IptablesRunner } from './iptables-runner';
import { netpolChains } from '../netpol/netpol-chains';
import { buildNetpolCleanup } from '../netpol/netpol-restore';

export async function cleanupRules(runner: IptablesRunner, chains: ChainSet = chainSet()): Promise<void> {
  const [nat, filter] = await Promise.all([runner.save('nat'), runner.save('filter')]);
  await runner.restore(buildCleanup(parseSave(nat), parseSave(filter), chains));
  await runner.restore(buildNetpolCleanup(parseSave(filter), netpolChains(chains.prefix)));
}

/**
 * Cleans up after a stopped proxy. A cluster's own chain set is its alone; upstream's shared names are
 * left while another proxy on this host (another cluster's) owns them, whose rules are live. Returns
 * whether it cleaned.
 */
export async function cleanupIfUnowned(runner: IptablesRunner, chains: ChainSet = chainSet()): Promise<boolean> {
  if (chains.prefix !== UPSTREAM_PREFIX) { await cleanupRules(runner, chains); return true; }
  const lock = await tryHostLock();
  if (!lock) return false;
  try {
    await cleanupRules(runner, chains);
    return true;
  } finally {
    lock.close();
  }
}
