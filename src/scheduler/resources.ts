// A pod's effective resource requests, as the scheduler counts them: the larger of the containers' sum
// and any init container (restartable sidecars add to both), plus the pod overhead.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../registry/quantity';

/** cpu in millicores, everything else in base units. */
export type Resources = Record<string, number>;

/** The requests upstream assumes for a container that states none, for spreading (LeastAllocated). */
export const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export function quantityValue(resource: string, q: string | number | undefined): number {
  if (q === undefined) return 0;
  try {
    const p = parseQuantity(q);
    return resource === 'cpu' ? p.milliValue() : p.value();
  } catch {
    return 0;
  }
}

export function resourceList(list: Record<string, string | number> | undefined): Resources {
  const out: Resources = {};
  for (const [k, v] of Object.entries(list ?? {})) out[k] = quantityValue(k, v);
  return out;
}

function containerRequests(c: Container, nonZero: boolean): Resources {
  const r = resourceList(c.resources?.requests as Record<string, string> | undefined);
  if (nonZero) {
    if (!r.cpu) r.cpu = defaultMilliCPURequest;
    if (!r.memory) r.memory = defaultMemoryRequest;
  }
  return r;
}

function addInto(a: Resources, b: Resources): void { for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v; }
function maxInto(a: Resources, b: Resources): void { for (const [k, v] of Object.entries(b)) a[k] = Math.max(a[k] ?? 0, v); }

/** The pod's requests; with nonZero, containers without cpu/memory requests count upstream's defaults. */
export function podRequests(pod: Pod, nonZero = false): Resources {
  const total: Resources = {};
  for (const c of pod.spec?.containers ?? []) addInto(total, containerRequests(c, nonZero));
  const sidecars: Resources = {};
  const initMax: Resources = {};
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      const withSidecars = { ...sidecars };
      addInto(withSidecars, r);
      maxInto(initMax, withSidecars);
    }
  }
  addInto(total, sidecars);
  maxInto(total, initMax);
  addInto(total, resourceList(pod.spec?.overhead as Record<string, string> | undefined));
  return total;
}
