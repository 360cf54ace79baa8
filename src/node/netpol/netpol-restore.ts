// iptables-restore input for the NetworkPolicy agent: one filter-table transaction that rewrites every
// chain of the agent (declaring a chain flushes it, so rules never pass through an empty state), deletes
// chains no pod needs any more and adds missing jumps; and the input that removes all of it again.
import type { SavedTable } from '../proxy/iptables-rules';
import { netpolJumps, type NetpolChains, type NetpolJump } from './netpol-chains';
import type { NetpolRules } from './policy-rules';

const jumpLine = (j: NetpolJump): string => `-A ${j.from} ${j.args.join(' ')}`;
const POLICY_COMMENT = '--comment "kubernetes network policy"';

/** A jump to place: inserted first in its chain, after deleting it where it stands when `present`. */
export interface JumpPlacement { jump: NetpolJump; present: boolean }

/**
 * Jumps that are missing, or that a rule other than a policy jump (this or another cluster's) precedes:
 * a proxy's forwarding chain accepts marked service traffic, which would otherwise bypass policy.
 */
export function jumpsToPlace(saved: SavedTable, c: NetpolChains): JumpPlacement[] {
  return netpolJumps(c).flatMap((j) => {
    const inChain = saved.rules.filter((r) => r.startsWith(`-A ${j.from} `));
    const at = inChain.indexOf(jumpLine(j));
    if (at >= 0 && inChain.slice(0, at).every((r) => r.includes(POLICY_COMMENT))) return [];
    return [{ jump: j, present: at >= 0 }];
  });
}

/** The agent's chains in a saved filter table. */
export const ownChains = (saved: SavedTable, c: NetpolChains): string[] => [...saved.chains].filter(c.isOwn);

export function buildNetpolRestore(rules: NetpolRules, existing: Iterable<string>, place: JumpPlacement[]): string {
  const stale = [...existing].filter((ch) => !rules.has(ch));
  return [
    '*filter',
    ...[...rules.keys(), ...stale].map((ch) => `:${ch} - [0:0]`),
    ...[...rules].flatMap(([ch, lines]) => lines.map((l) => `-A ${ch} ${l}`)),
    ...stale.map((ch) => `-X ${ch}`),
    ...place.flatMap(({ jump: j, present }) => [
      ...(present ? [`-D ${j.from} ${j.args.join(' ')}`] : []), `-I ${j.from} 1 ${j.args.join(' ')}`]),
    'COMMIT',
    '',
  ].join('\n');
}

export function buildNetpolCleanup(saved: SavedTable, c: NetpolChains): string {
  const chains = ownChains(saved, c);
  const jumps = netpolJumps(c).filter((j) => saved.rules.includes(jumpLine(j)));
  return ['*filter', ...chains.map((ch) => `:${ch} - [0:0]`), ...jumps.map((j) => `-D ${j.from} ${j.args.join(' ')}`),
    ...chains.map((ch) => `-X ${ch}`), 'COMMIT', ''].join('\n');
}
