// pods/eviction: a policy/v1 Eviction deletes the pod unless that would break its PodDisruptionBudget
// (found through the resource table, so the budget kind is served by whoever registers it), then counts
// the disruption in the budget's status, as upstream's EvictionREST does.
import type { Pod } from 'kubernetes-types/core/v1';
import type { Eviction, PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { DeleteOptions } from 'kubernetes-types/meta/v1';
import { badRequest, statusError, StatusError } from '../registry/errors';
import { fromLabelSelector } from '../registry/label-selector';
import { nowTimestamp } from '../registry/object-meta';
import type { KubeObject, Writable } from '../registry/resource-types';
import type { Registry } from './registry';

export const evictionRefused = "Cannot evict pod as it would violate the pod's disruption budget.";

/** 429 with a DisruptionBudget cause and a retry hint, as upstream's NewTooManyRequests. */
function tooManyRequests(cause: string, retryAfterSeconds: number): StatusError {
  return statusError(429, 'TooManyRequests', evictionRefused, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
}

/** Pods that are not running yet, are done, or are already going need no budget. */
function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

function isReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function matchingBudgets(budgets: PodDisruptionBudget[], pod: Pod): PodDisruptionBudget[] {
  return budgets.filter((b) => {
    // policy/v1: an empty selector selects every pod of the namespace, a missing one none.
    const sel = b.spec?.selector;
    if (!sel) return false;
    try {
      const s = fromLabelSelector(sel);
      return s === null || s.empty() || s.matches(pod.metadata?.labels);
    } catch { return false; }
  });
}

export interface EvictionRequest { namespace: string; name: string; body: unknown; dryRun: boolean }

/** Evicts a pod; resolves when it is deleted (or would be, under dryRun). */
export async function evictPod(reg: Registry, req: EvictionRequest): Promise<void> {
  const eviction = req.body as Eviction;
  if (typeof req.body !== 'object' || req.body === null) throw badRequest('an Eviction object is required');
  if (eviction.metadata?.name && eviction.metadata.name !== req.name) throw badRequest('name in URL does not match name in Eviction object');
  const podStore = reg.storeFor('', 'v1', 'pods');
  const pod = await podStore.getObject(req.namespace, req.name) as Pod;
  const options: DeleteOptions = eviction.deleteOptions ?? {};
  const dryRun = req.dryRun || (options.dryRun ?? []).includes('All');
  const budgetDef = reg.table.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (budgetDef && !canIgnoreBudget(pod)) {
    const store = reg.store(budgetDef);
    const listed = await store.list(req.namespace, { predicate: () => true, filtered: false });
    const budgets = matchingBudgets(listed.items.map((s) => JSON.parse(s) as PodDisruptionBudget), pod);
    if (budgets.length > 1) {
      throw statusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    if (budgets.length === 1) await takeDisruption(reg, budgets[0], pod, dryRun);
  }
  await podStore.delete(req.namespace, req.name, options, { dryRun });
}

/**
 * Whether evicting `pod` may go ahead under `budget`: "free" when the budget need not count it (an
 * unready pod the budget lets go), "take" when it uses up one allowed disruption; throws upstream's
 * 429/403 otherwise.
 */
export function checkBudget(budget: PodDisruptionBudget, pod: Pod): 'free' | 'take' {
  const name = budget.metadata?.name ?? '';
  const st = budget.status;
  const unhealthyAllowed = !isReady(pod) && (budget.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' ||
    ((st?.desiredHealthy ?? 0) > 0 && (st?.currentHealthy ?? 0) >= (st?.desiredHealthy ?? 0)));
  if (unhealthyAllowed) return 'free';
  if ((st?.observedGeneration ?? 0) < (budget.metadata?.generation ?? 0)) {
    throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);
  }
  const allowed = st?.disruptionsAllowed ?? 0;
  if (allowed < 0) throw statusError(403, 'Forbidden', `poddisruptionbudgets.policy "${name}" is forbidden: pdb disruptions allowed is negative`);
  if (allowed === 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${st?.desiredHealthy ?? 0} healthy pods and has ${st?.currentHealthy ?? 0} currently`, 0);
  }
  return 'take';
}

async function takeDisruption(reg: Registry, budget: PodDisruptionBudget, pod: Pod, dryRun: boolean): Promise<void> {
  if (checkBudget(budget, pod) === 'free' || dryRun) return;
  const def = reg.table.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (!def) return;
  // Tell the budget's controller the pod is on its way out, so it stops counting it as available.
  await reg.store(def).update(budget.metadata?.namespace, budget.metadata?.name ?? '', (cur: KubeObject) => {
    const status = { ...(cur.status as Writable<NonNullable<PodDisruptionBudget['status']>> | undefined) };
    // Decided again on the newest status, so two evictions racing (kubectl drain sends them in parallel)
    // never take the same disruption, and unpinned so that the store retries past the other writer.
    if ((status.disruptionsAllowed ?? 0) <= 0) {
      throw tooManyRequests(`The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`, 0);
    }
    if (cur.metadata) delete cur.metadata.resourceVersion;
    status.disruptionsAllowed = (status.disruptionsAllowed ?? 0) - 1;
    status.disruptedPods = { ...status.disruptedPods, [pod.metadata?.name ?? '']: nowTimestamp() };
    cur.status = status;
    return cur;
  }, { subresource: 'status' });
}
