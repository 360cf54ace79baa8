// Removes the proxy's chains and jump rules in one iptables-restore (upstream's `kube-proxy --cleanup`).
import { tryHostLock } from './host-lock';
import { buildCleanup, parseSave } from './iptables-rules';
import type { IptablesRunner } from './iptables-runner';

export async function cleanupRules(runner: IptablesRunner): Promise<void> {
  const [nat, filter] = await Promise.all([runner.save('nat'), runner.save('filter')]);
  await runner.restore(buildCleanup(parseSave(nat), parseSave(filter)));
}

/**
 * Cleans up after a stopped proxy unless another proxy on this host (another cluster's) now owns the
 * chains, whose rules are live. Returns whether it cleaned.
 */
export async function cleanupIfUnowned(runner: IptablesRunner): Promise<boolean> {
  const lock = await tryHostLock();
  if (!lock) return false;
  try {
    await cleanupRules(runner);
    return true;
  } finally {
    lock.close();
  }
}
