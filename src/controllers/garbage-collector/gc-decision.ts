// What the garbage collector does with one dependent once each of its owners has been classified, as
// upstream's attemptToDeleteItem decides: keep it, drop references to owners that are gone, or delete it.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { foregroundFinalizer, orphanFinalizer } from './owner-graph';

/** solid: exists and is not deleting its dependents; dangling: gone (or another uid); waiting: in foreground deletion. */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

export type Propagation = 'Foreground' | 'Background' | 'Orphan';

export type Decision =
  | { action: 'keep' }
  | { action: 'removeOwnerReferences'; uids: string[] }
  | { action: 'delete'; propagationPolicy: Propagation };

export function decide(owners: { ref: OwnerReference; state: OwnerState }[], hasDependents: boolean, finalizers: string[]): Decision {
  const solid = owners.filter((o) => o.state === 'solid');
  const waiting = owners.filter((o) => o.state === 'waiting');
  const dangling = owners.filter((o) => o.state === 'dangling');
  if (owners.length === 0) return { action: 'keep' };
  if (solid.length > 0) {
    // A solid owner keeps the object; references to owners that are gone or going are dropped.
    const uids = [...dangling, ...waiting].map((o) => o.ref.uid);
    return uids.length ? { action: 'removeOwnerReferences', uids } : { action: 'keep' };
  }
  // An owner waiting on its dependents makes this one go in the foreground too, so its own dependents go first.
  if (waiting.length > 0 && hasDependents) return { action: 'delete', propagationPolicy: 'Foreground' };
  if (finalizers.includes(orphanFinalizer)) return { action: 'delete', propagationPolicy: 'Orphan' };
  if (finalizers.includes(foregroundFinalizer)) return { action: 'delete', propagationPolicy: 'Foreground' };
  return { action: 'delete', propagationPolicy: 'Background' };
}
