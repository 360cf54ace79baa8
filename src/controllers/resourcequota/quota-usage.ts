// What a namespace uses of each resource a ResourceQuota limits, counted as upstream's quota evaluators
// count it: live pods and their effective requests and limits, services by type, claims by storage class,
// and object counts (`count/<resource>[.<group>]`). A scoped quota counts only the pods in its scopes.
import type { PersistentVolumeClaim, Pod, ResourceRequirements, ScopedResourceSelectorRequirement, Service } from 'kubernetes-types/core/v1';
import { parseQuantity, Quantity } from '../../registry/quantity';
import { podInScopes } from './quota-scopes';

/** A namespace's objects, by quota resource name (`pods`, `deployments.apps`, ...). */
export interface NamespaceObjects {
  pods: Pod[];
  services: Service[];
  persistentvolumeclaims: PersistentVolumeClaim[];
  /** Everything else counted only by number, keyed `configmaps`, `secrets`, `deployments.apps`, .... */
  counts: Map<string, number>;
}

const zero = (): Quantity => parseQuantity('0');

/** a + b, exactly. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const scale = Math.min(a.scale, b.scale);
  const va = (a.negative ? -1n : 1n) * a.mantissa * 10n ** BigInt(a.scale - scale);
  const vb = (b.negative ? -1n : 1n) * b.mantissa * 10n ** BigInt(b.scale - scale);
  const sum = va + vb;
  // The sum keeps the first operand's format, as upstream's Quantity.Add; a zero takes the other's.
  return new Quantity(sum < 0n, sum < 0n ? -sum : sum, scale, a.isZero() ? b.format : a.format);
}

const max = (a: Quantity, b: Quantity): Quantity => (a.cmp(b) >= 0 ? a : b);

/** Upstream's QuotaV1Pod: terminal pods, and pods past their deletion grace period, no longer count. */
export function podCounts(pod: Pod, now = Date.now()): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const m = pod.metadata;
  if (m?.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined) {
    return now <= Date.parse(m.deletionTimestamp) + m.deletionGracePeriodSeconds * 1000;
  }
  return true;
}

/** A pod's effective requests or limits of one resource: the larger of its containers' sum and any init container, plus overhead. */
function podAmount(pod: Pod, kind: 'requests' | 'limits', resource: string): Quantity {
  const of = (r: ResourceRequirements | undefined) => (r?.[kind]?.[resource] === undefined ? zero() : parseQuantity(r[kind]![resource]));
  let sum = zero();
  for (const c of pod.spec?.containers ?? []) sum = addQuantities(sum, of(c.resources));
  // Restartable init containers (sidecars) run beside the app containers, so they add up; the others run alone.
  let init = zero();
  let sidecars = zero();
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') { sidecars = addQuantities(sidecars, of(c.resources)); init = max(init, sidecars); } else init = max(init, addQuantities(sidecars, of(c.resources)));
  }
  let total = max(addQuantities(sum, sidecars), init);
  const overhead = pod.spec?.overhead?.[resource];
  if (overhead !== undefined && !total.isZero()) total = addQuantities(total, parseQuantity(overhead));
  return total;
}

/** Quota names for pod compute resources: `cpu` means `requests.cpu`, as upstream. */
function podResource(name: string): { kind: 'requests' | 'limits'; resource: string } | undefined {
  if (name.startsWith('requests.')) return { kind: 'requests', resource: name.slice('requests.'.length) };
  if (name.startsWith('limits.')) return { kind: 'limits', resource: name.slice('limits.'.length) };
  if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') return { kind: 'requests', resource: name };
  return undefined;
}

const classPrefix = '.storageclass.storage.k8s.io/';

function claimStorage(c: PersistentVolumeClaim): Quantity {
  // As upstream: the larger of what is requested and what the bound volume reports.
  const req = c.spec?.resources?.requests?.storage;
  const cap = c.status?.capacity?.storage;
  const a = req === undefined ? zero() : parseQuantity(req);
  return cap === undefined ? a : max(a, parseQuantity(cap));
}

const nothing: NamespaceObjects = { pods: [], services: [], persistentvolumeclaims: [], counts: new Map() };

/** status.used for every resource in `hard`, in canonical form. */
export function quotaUsage(hard: Record<string, string>, all: NamespaceObjects, now = Date.now(), scopes: ScopedResourceSelectorRequirement[] = []): Record<string, string> {
  // Upstream's other evaluators match no scope, so under a scoped quota only pods count (and other kinds count 0).
  const objs = scopes.length ? { ...nothing, pods: all.pods.filter((p) => podInScopes(p, scopes)) } : all;
  // `count/pods` is every stored pod; `pods` and compute resources only those not yet finished.
  const pods = objs.pods.filter((p) => podCounts(p, now));
  const used: Record<string, string> = {};
  for (const name of Object.keys(hard)) {
    let q: Quantity | undefined;
    const compute = podResource(name);
    if (name === 'pods') q = parseQuantity(pods.length);
    else if (name === 'count/pods') q = parseQuantity(objs.pods.length);
    else if (compute && name !== 'requests.storage') q = pods.reduce((s, p) => addQuantities(s, podAmount(p, compute.kind, compute.resource)), zero());
    else if (name === 'services' || name === 'count/services') q = parseQuantity(objs.services.length);
    else if (name === 'services.loadbalancers') q = parseQuantity(objs.services.filter((s) => s.spec?.type === 'LoadBalancer').length);
    else if (name === 'services.nodeports') {
      const nodePorts = objs.services.filter((s) => s.spec?.type === 'NodePort' || (s.spec?.type === 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts !== false));
      q = parseQuantity(nodePorts.reduce((n, s) => n + (s.spec?.ports ?? []).length, 0));
    } else if (name === 'persistentvolumeclaims' || name === 'count/persistentvolumeclaims') q = parseQuantity(objs.persistentvolumeclaims.length);
    else if (name === 'requests.storage') q = objs.persistentvolumeclaims.reduce((s, c) => addQuantities(s, claimStorage(c)), zero());
    else if (name.includes(classPrefix)) {
      const [cls, what] = name.split(classPrefix);
      const claims = objs.persistentvolumeclaims.filter((c) => (c.spec?.storageClassName ?? '') === cls);
      if (what === 'persistentvolumeclaims') q = parseQuantity(claims.length);
      if (what === 'requests.storage') q = claims.reduce((s, c) => addQuantities(s, claimStorage(c)), zero());
    } else {
      const counted = objs.counts.get(name.startsWith('count/') ? name.slice('count/'.length) : name);
      if (counted !== undefined) q = parseQuantity(counted);
      else if (scopes.length) q = zero();
    }
    if (q) used[name] = q.toString();
  }
  return used;
}
