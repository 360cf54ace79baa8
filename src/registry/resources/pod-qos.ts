// The pod QoS class (BestEffort / Burstable / Guaranteed) computed from container requests and limits,
// following upstream's rules, stored in status.qosClass at creation.
import type { PodSpec } from 'kubernetes-types/core/v1';
import { parseQuantity, type Quantity } from '../quantity';

const qosResources = ['cpu', 'memory'];

function add(sum: Map<string, Quantity>, name: string, q: Quantity): void {
  const prev = sum.get(name);
  if (!prev) { sum.set(name, q); return; }
  const s = Math.min(prev.scale, q.scale);
  const a = prev.mantissa * 10n ** BigInt(prev.scale - s);
  const b = q.mantissa * 10n ** BigInt(q.scale - s);
  sum.set(name, parseQuantity(`${a + b}e${s}`));
}

function nonZero(v: string | number | undefined): Quantity | undefined {
  if (v === undefined) return undefined;
  try {
    const q = parseQuantity(v);
    return q.isZero() ? undefined : q;
  } catch { return undefined; }
}

export function podQOSClass(spec: PodSpec | undefined): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const name of qosResources) {
      const r = nonZero(c.resources?.requests?.[name]);
      if (r) add(requests, name, r);
    }
    const found = new Set<string>();
    for (const name of qosResources) {
      const l = nonZero(c.resources?.limits?.[name]);
      if (l) { found.add(name); add(limits, name, l); }
    }
    if (!qosResources.every((n) => found.has(n))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) { guaranteed = false; break; }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
