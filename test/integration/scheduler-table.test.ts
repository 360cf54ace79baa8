// The scheduler table (test/unit/scheduler-cases.ts) replayed through the scheduler `kubets up` runs:
// each case's hollow nodes (Node objects with allocatable, labels, taints, images, a Ready condition and a
// renewed Lease; no kubelet) and bound pods are written through the API, and the pod must be bound to one
// of the nodes upstream's scheduler would pick.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { waitFor } from '../e2e/kubectl';
import { cases, type Case } from '../unit/scheduler-cases';
import { ok, request, type List } from './http';

/** Every case node carries this label and taint, and only the case's pods select and tolerate them. */
const caseKey = 'kubets.test/sched-case';
const microNow = (): string => new Date().toISOString().replace('Z', '000Z');
const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Cases the API can express: placements, with no priorities (they need PriorityClasses) and no in-flight bindings. */
const replayable = cases.filter((c) => c.lands && !c.assumed
  && ![c.pod, ...(c.bound ?? [])].some((p) => (p.spec?.priority ?? 0) !== 0 || p.spec?.preemptionPolicy));

/** The case's node names (n1, n2, ...) made unique to this run. */
function renamed<T>(value: T, prefix: string): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => (typeof v === 'string' && /^n\d+$/.test(v) ? `${prefix}${v}` : v)) as T;
}

let run: string;
beforeAll(() => { run = Math.random().toString(36).slice(2, 7); });

async function createNode(n: Node, tag: string): Promise<string> {
  const name = n.metadata!.name!;
  await ok('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { body: {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microNow() },
  } });
  const allocatable = n.status?.allocatable ?? {};
  await ok('POST', '/api/v1/nodes', { body: {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { ...n.metadata?.labels, [caseKey]: tag } },
    spec: { ...n.spec, taints: [...(n.spec?.taints ?? []), { key: caseKey, value: tag, effect: 'NoSchedule' }] },
    status: {
      capacity: allocatable, allocatable, images: n.status?.images,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node', lastHeartbeatTime: now(), lastTransitionTime: now() }],
    },
  } });
  return name;
}

/** A fixture pod as a client would send it, in `ns`. */
function podBody(p: Pod, ns: string, extra: Record<string, unknown> = {}): object {
  const spec = { ...p.spec, ...extra };
  delete spec.priority;
  delete spec.preemptionPolicy;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: p.metadata?.name, namespace: ns, labels: p.metadata?.labels }, spec };
}

/**
 * Waits until the scheduler's cache holds `total` nodes: a pod selecting no node is refused with a
 * message counting every node the scheduler knows. Created after the case's bound pods, it also
 * proves those were seen (one watch stream delivers pods in order).
 */
async function schedulerSees(ns: string, total: number): Promise<void> {
  await ok('POST', `/api/v1/namespaces/${ns}/pods`, { body: {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'canary' },
    spec: { nodeSelector: { 'kubets.test/never': 'x' }, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'pause' }] },
  } });
  await waitFor(`the scheduler to count ${total} nodes`, async () => {
    const p = await ok<Pod>('GET', `/api/v1/namespaces/${ns}/pods/canary`);
    const msg = p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? '';
    return msg.startsWith(`0/${total} nodes are available`);
  }, 20_000, 100);
  await ok('DELETE', `/api/v1/namespaces/${ns}/pods/canary?gracePeriodSeconds=0`);
}

async function replay(c: Case, index: number): Promise<string> {
  const tag = `${run}-${index}`;
  const prefix = `st-${tag}-`;
  const ns = `st-${tag}`;
  const other = `st-${tag}-other`;
  const nsOf = (p: Pod) => (p.metadata?.namespace === 'other' ? other : ns);
  const nodes = renamed(c.nodes, prefix);
  const names: string[] = [];
  const renew = setInterval(() => {
    for (const n of names) {
      void request('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`,
        { body: { spec: { renewTime: microNow() } }, contentType: 'application/merge-patch+json' }).catch(() => undefined);
    }
  }, 2000);
  try {
    for (const n of [ns, other]) await ok('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } } });
    for (const n of nodes) names.push(await createNode(n, tag));
    for (const b of renamed(c.bound ?? [], prefix)) await ok('POST', `/api/v1/namespaces/${nsOf(b)}/pods`, { body: podBody(b, nsOf(b)) });
    const all = await ok<List<Node>>('GET', '/api/v1/nodes');
    await schedulerSees(ns, all.items.length);
    const p = renamed(c.pod, prefix);
    await ok('POST', `/api/v1/namespaces/${ns}/pods`, { body: podBody(p, ns, {
      nodeSelector: { ...p.spec?.nodeSelector, [caseKey]: tag },
      tolerations: [...(p.spec?.tolerations ?? []), { key: caseKey, operator: 'Equal', value: tag, effect: 'NoSchedule' }],
    }) });
    const bound = await waitFor(`${c.name}: the pod bound`, async () => (await ok<Pod>('GET', `/api/v1/namespaces/${ns}/pods/${p.metadata?.name}`)).spec?.nodeName, 20_000, 100);
    return bound.slice(prefix.length);
  } finally {
    clearInterval(renew);
    for (const n of names) {
      await request('DELETE', `/api/v1/nodes/${n}`);
      await request('DELETE', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`);
    }
    for (const n of [ns, other]) {
      await request('DELETE', `/api/v1/namespaces/${n}/pods?gracePeriodSeconds=0`);
      await request('DELETE', `/api/v1/namespaces/${n}`);
    }
  }
}

describe('the running scheduler on hollow nodes places each pod where upstream would', () => {
  test('the replayable part of the table is most of it', () => { expect(replayable.length).toBeGreaterThanOrEqual(40); });

  test.each(replayable.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    expect(c.lands).toContain(await replay(c, i));
  }, 60_000);
});
