// The status conditions the namespace controller keeps on a Terminating namespace, worded as upstream's
// namespace deleter words them, computed from what one deletion pass found (pure, for unit tests).
import type { NamespaceCondition, NamespaceStatus } from 'kubernetes-types/core/v1';

/** What one pass over the namespace's content found. */
export interface DeletionPass {
  discoveryFailures: string[];
  /** One message per resource whose content could not be deleted or listed. */
  contentFailures: string[];
  /** "pods." or "deployments.apps" → objects still present. */
  remaining: Map<string, number>;
  /** finalizer → objects still carrying it. */
  finalizers: Map<string, number>;
}

const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure', 'NamespaceDeletionGroupVersionParsingFailure', 'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining', 'NamespaceFinalizersRemaining',
] as const;
type ConditionType = typeof conditionTypes[number];

const ok: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** The failing (True) conditions a pass calls for; every other type is set to its "ok" (False) variant. */
export function failingConditions(p: DeletionPass): Map<ConditionType, { reason: string; message: string }> {
  const out = new Map<ConditionType, { reason: string; message: string }>();
  if (p.discoveryFailures.length) {
    out.set('NamespaceDeletionDiscoveryFailure', {
      reason: 'DiscoveryFailed',
      message: `Discovery failed for some groups, ${p.discoveryFailures.length} failing: ${[...p.discoveryFailures].sort().join(', ')}`,
    });
  }
  if (p.contentFailures.length) {
    out.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${p.contentFailures.length} remaining: ${[...p.contentFailures].sort().join(', ')}`,
    });
  }
  const remaining = [...p.remaining].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`).sort();
  if (remaining.length) {
    out.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}` });
  }
  const fins = [...p.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (fins.length) {
    out.set('NamespaceFinalizersRemaining', {
      reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${fins.join(', ')}`,
    });
  }
  return out;
}

/**
 * Applies a pass to the namespace's conditions; returns the new list, or undefined when nothing changed.
 * lastTransitionTime moves only when a condition's status flips, as upstream.
 */
export function updatedConditions(status: NamespaceStatus | undefined, p: DeletionPass, now: string): NamespaceCondition[] | undefined {
  const failing = failingConditions(p);
  const conditions = (status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of conditionTypes) {
    const f = failing.get(type);
    const want = { status: f ? 'True' : 'False', ...(f ?? ok[type]) };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, status: want.status, lastTransitionTime: now, reason: want.reason, message: want.message });
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = now;
      old.status = want.status;
      old.reason = want.reason;
      old.message = want.message;
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

/** "pods." for the core group, "deployments.apps" otherwise: upstream's resource.group spelling. */
export function resourceLabel(plural: string, group: string): string {
  return `${plural}.${group}`;
}
