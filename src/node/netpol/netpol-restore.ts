// iptables-restore input for the NetworkPolicy agent: one filter-table transaction that rewrites every
// chain of the agent (declaring a chain flushes it, so rules never pass through an empty state), deletes
// chains no pod needs any more and adds missing jumps; and the input that removes all of it again.
import type { SavedTable } from '../proxy/iptables-rules';
import { netpolJumps, type NetpolChains, type NetpolJump } from './netpol-chains';
import type { NetpolRules } from './policy-rules';

const jumpLine = (j: NetpolJump): string => `-A ${j.from} ${j.args.join(' ')}`;

/** Whether iptables-save shows this jump (it prints the same arguments back, quotes included). */
const hasJump = (saved: SavedTable, j: NetpolJump): boolean => saved.rules.includes(jumpLine(j));

export function missingNetpolJumps(saved: SavedTable, c: NetpolChains): NetpolJump[] {
  return netpolJumps(c).filter((j) => !hasJump(saved, j));
}

/** The agent's chains in a saved filter table. */
export const ownChains = (saved: SavedTable, c: NetpolChains): string[] => [...saved.chains].filter(c.isOwn);

export function buildNetpolRestore(rules: NetpolRules, existing: Iterable<string>, missing: NetpolJump[]): string {
  const stale = [...existing].filter((ch) => !rules.has(ch));
  return [
    '*filter',
    ...[...rules.keys(), ...stale].map((ch) => `:${ch} - [0:0]`),
    ...[...rules].flatMap(([ch, lines]) => lines.map((l) => `-A ${ch} ${l}`)),
    ...stale.map((ch) => `-X ${ch}`),
    ...missing.map((j) => `-I ${j.from} 1 ${j.args.join(' ')}`),
    'COMMIT',
    '',
  ].join('\n');
}

export function buildNetpolCleanup(saved: SavedTable, c: NetpolChains): string {
  const chains = ownChains(saved, c);
  const jumps = netpolJumps(c).filter((j) => hasJump(saved, j));
  return ['*filter', ...chains.map((ch) => `:${ch} - [0:0]`), ...jumps.map((j) => `-D ${j.from} ${j.args.join(' ')}`),
    ...chains.map((ch) => `-X ${ch}`), 'COMMIT', ''].join('\n');
}
