// The node lifecycle controller's rules (pure, for unit tests): conditions of a node whose kubelet went
// silent, the not-ready/unreachable taints its Ready condition calls for, and when a pod on a NoExecute-
// tainted node must go given its tolerations (upstream's taint manager).
import type { Node, NodeCondition, Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { notReadyTaint, unreachableTaint } from '../../admission/default-toleration-seconds';

const kubeletConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** The node's conditions once its kubelet is silent past the grace period, or undefined when already so. */
export function silentNodeConditions(node: Node, now: string): NodeCondition[] | undefined {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of kubeletConditions) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: now });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

/** The node's taints as its Ready condition calls for: unreachable when Unknown, not-ready when False. */
export function desiredTaints(node: Node, now: string): Taint[] {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const want = ready === 'Unknown' ? unreachableTaint : ready === 'False' ? notReadyTaint : undefined;
  const current = node.spec?.taints ?? [];
  const kept = current.filter((t) => (t.key !== notReadyTaint && t.key !== unreachableTaint) || t.key === want);
  if (want) {
    if (!kept.some((t) => t.key === want && t.effect === 'NoSchedule')) kept.push({ key: want, effect: 'NoSchedule' });
    if (!kept.some((t) => t.key === want && t.effect === 'NoExecute')) kept.push({ key: want, effect: 'NoExecute', timeAdded: now });
  }
  return kept;
}

/** Upstream's ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

/**
 * When a pod on a node with these taints must be evicted: epoch ms (0 = now), or undefined if it may
 * stay (no NoExecute taint, or every one tolerated without a time limit).
 */
export function evictionTime(pod: Pod, taints: Taint[]): number | undefined {
  let at: number | undefined;
  for (const taint of taints.filter((x) => x.effect === 'NoExecute')) {
    const matching = (pod.spec?.tolerations ?? []).filter((t) => tolerates(t, taint));
    if (matching.length === 0) return 0;
    if (matching.some((t) => t.tolerationSeconds === undefined || t.tolerationSeconds === null)) continue;
    const seconds = Math.min(...matching.map((t) => Math.max(0, t.tolerationSeconds ?? 0)));
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : Date.now();
    const t = added + seconds * 1000;
    at = at === undefined ? t : Math.min(at, t);
  }
  return at;
}
