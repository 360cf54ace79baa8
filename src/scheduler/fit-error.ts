// The message of a pod that fits no node, worded as upstream's FitError: a sorted histogram of the
// reasons nodes gave, then what preemption said ("0/3 nodes are available: 1 Insufficient cpu, ...").
import type { Status } from './framework';

export const noNodesAvailable = 'no nodes available to schedule pods';

export function fitErrorMessage(numAllNodes: number, statuses: ReadonlyMap<string, Status>, absentReason?: string, postFilterMsg?: string): string {
  const counts = new Map<string, number>();
  for (const st of statuses.values()) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (absentReason && statuses.size < numAllNodes) counts.set(absentReason, (counts.get(absentReason) ?? 0) + numAllNodes - statuses.size);
  // Go's sort.Strings: byte order of "<count> <reason>".
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let msg = `0/${numAllNodes} nodes are available:`;
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}
