// DaemonSets end to end with stock kubectl: one pod per Ready node (the suite's real node, where it runs for
// real on containerd, plus hollow Node objects this file creates and keeps Ready by renewing their Leases),
// each pod pinned by node affinity and bound by the default scheduler; a new node gets a pod; nodeSelector
// and NoExecute taints take pods away; RollingUpdate within maxUnavailable or maxSurge (checked on a pod
// watch), OnDelete, and `kubectl rollout status|history|undo`. Hollow-node pods that need to be Ready use
// the stand-in kubelet of pod-status-stand-in.ts.
import type { Node } from 'kubernetes-types/core/v1';
import { createNamespace, kubectlOk, waitFor } from './kubectl';
import { ok, request, unscheduledSchedulerName, type KubeObject, type List } from '../integration/http';
import { podRunner } from '../integration/pod-status-stand-in';
import { PodCensus } from './pod-census';

interface PodObj extends KubeObject {
  spec: { nodeName?: string; tolerations?: object[]; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchFields?: { key: string; operator: string; values: string[] }[] }[] } } }; containers: { image: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}
interface DsObj extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  status?: Record<string, number>;
}
type NodeObj = Node & { metadata: { name: string } };

const hollowTaint = { key: 'kubets.test/hollow', value: 'daemonset', effect: 'NoSchedule' };
const suffix = Math.random().toString(36).slice(2, 7);
const hollow = (i: number): string => `ds-hollow-${suffix}-${i}`;
const made: string[] = [];
const microNow = (): string => new Date().toISOString().replace('Z', '000Z');
let renewer: NodeJS.Timeout | undefined;

async function hollowNode(name: string, labels: Record<string, string> = {}): Promise<void> {
  await ok('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { body: {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microNow() },
  } });
  await ok('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints: [hollowTaint] } } });
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const capacity = { cpu: '2', memory: '4Gi', pods: '20' };
  await ok('PATCH', `/api/v1/nodes/${name}/status`, { contentType: 'application/merge-patch+json', body: { status: {
    capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node', lastHeartbeatTime: now, lastTransitionTime: now }],
  } } });
  made.push(name);
}

/** The nodes a DaemonSet tolerating the hollow taint belongs on: Ready, with no other NoSchedule/NoExecute taint. */
async function eligibleNodes(): Promise<string[]> {
  const nodes = (await ok<List<NodeObj>>('GET', '/api/v1/nodes')).items;
  return nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
    && (n.spec?.taints ?? []).every((t) => t.key === hollowTaint.key) && !n.spec?.unschedulable).map((n) => n.metadata.name).sort();
}

function dsYaml(name: string, image: string, opts: { scheduler?: string; strategy?: string; nodeSelector?: Record<string, string> } = {}): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
${opts.strategy ? `  updateStrategy: ${opts.strategy}\n` : ''}  template:
    metadata: {labels: {app: ${name}}}
    spec:
      schedulerName: ${opts.scheduler ?? 'default-scheduler'}
      terminationGracePeriodSeconds: 1
${opts.nodeSelector ? `      nodeSelector: ${JSON.stringify(opts.nodeSelector)}\n` : ''}      tolerations: [{key: ${hollowTaint.key}, operator: Exists, effect: NoSchedule}]
      containers: [{name: main, image: "${image}", command: [sh, -c, "exec sleep 3600"]}]
`;
}

const listPods = async (ns: string, app: string): Promise<PodObj[]> =>
  (await ok<List<PodObj>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`)).items.filter((p) => !p.metadata.deletionTimestamp);
const affinityNode = (p: PodObj): string | undefined =>
  p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values[0];
const getDs = (ns: string, name: string): Promise<DsObj> => ok<DsObj>('GET', `/apis/apps/v1/namespaces/${ns}/daemonsets/${name}`);

beforeAll(async () => {
  await hollowNode(hollow(1));
  await hollowNode(hollow(2));
  renewer = setInterval(() => {
    for (const n of made) {
      void request('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`,
        { body: { spec: { renewTime: microNow() } }, contentType: 'application/merge-patch+json' }).catch(() => undefined);
    }
  }, 2000);
});

afterAll(async () => {
  if (renewer) clearInterval(renewer);
  for (const n of made) await request('DELETE', `/api/v1/nodes/${n}`);
});

describe('placement, on the real node and hollow ones', () => {
  let ns: string;
  beforeAll(async () => { ns = await createNamespace('e2e-ds'); });
  afterAll(async () => { await kubectlOk(['delete', 'daemonset', '--all', '-n', ns]); });

  test('a DaemonSet covers every Ready node; each pod is pinned by node affinity and bound there; it runs for real on the real node', async () => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: dsYaml('agent', 'busybox:1.36') });
    const expected = await eligibleNodes();
    expect(expected).toEqual(expect.arrayContaining([hollow(1), hollow(2)]));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const pods = await waitFor('a bound pod on every eligible node', async () => {
      const ps = await listPods(ns, 'agent');
      return ps.length === expected.length && ps.every((p) => p.spec.nodeName) && ps;
    }, 30_000);
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(expected);
    for (const p of pods) {
      expect(affinityNode(p)).toBe(p.spec.nodeName);
      expect(p.spec.tolerations).toEqual(expect.arrayContaining([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ]));
      expect(p.metadata.labels).toMatchObject({ app: 'agent', 'pod-template-generation': '1' });
    }
    const realNodes = expected.filter((n) => !made.includes(n));
    const ds = await waitFor('the real node\'s pod ready', async () => {
      const d = await getDs(ns, 'agent');
      return d.status?.numberReady === realNodes.length && d;
    }, 60_000);
    expect(ds.status).toMatchObject({ desiredNumberScheduled: expected.length, currentNumberScheduled: expected.length, numberMisscheduled: 0, updatedNumberScheduled: expected.length, observedGeneration: ds.metadata.generation });
    const onReal = (await listPods(ns, 'agent')).filter((p) => realNodes.includes(p.spec.nodeName ?? ''));
    expect(onReal.map((p) => p.status?.phase)).toEqual(realNodes.map(() => 'Running'));
    const out = await kubectlOk(['get', 'daemonset', 'agent', '-n', ns]);
    expect(out.split('\n')[1].split(/\s+/).slice(0, 6)).toEqual(['agent', ...[expected.length, expected.length, realNodes.length, expected.length, realNodes.length].map(String)]);
  }, 90_000);

  test('a new node gets a pod; a NoExecute taint it does not tolerate takes it away', async () => {
    await hollowNode(hollow(3));
    const pod = await waitFor('a pod on the new node', async () => (await listPods(ns, 'agent')).find((p) => p.spec.nodeName === hollow(3)), 30_000);
    expect(affinityNode(pod)).toBe(hollow(3));
    await ok('PATCH', `/api/v1/nodes/${hollow(3)}`, { contentType: 'application/merge-patch+json', body: { spec: { taints: [hollowTaint, { key: 'evict', value: 'yes', effect: 'NoExecute' }] } } });
    await waitFor('the pod gone from the tainted node', async () => !(await listPods(ns, 'agent')).some((p) => affinityNode(p) === hollow(3)), 30_000);
    await ok('PATCH', `/api/v1/nodes/${hollow(3)}`, { contentType: 'application/merge-patch+json', body: { spec: { taints: [hollowTaint] } } });
  });

  test('nodeSelector: only labelled nodes run a pod, and a node that loses the label loses the pod', async () => {
    await kubectlOk(['label', 'node', hollow(1), 'ds-role=edge']);
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: dsYaml('edge', 'busybox:1.36', { nodeSelector: { 'ds-role': 'edge' } }) });
    await waitFor('one pod, on the labelled node', async () => { const ps = await listPods(ns, 'edge'); return ps.length === 1 && ps[0].spec.nodeName === hollow(1); }, 30_000);
    await kubectlOk(['label', 'node', hollow(2), 'ds-role=edge']);
    await waitFor('a second pod', async () => (await listPods(ns, 'edge')).map((p) => affinityNode(p)).sort().join() === [hollow(1), hollow(2)].join(), 30_000);
    await kubectlOk(['label', 'node', hollow(1), 'ds-role-']);
    await waitFor('only the still-labelled node', async () => (await listPods(ns, 'edge')).map((p) => affinityNode(p)).join() === hollow(2), 30_000);
    // No kubelet finishes the deleted pod on the hollow node: until it is gone it counts as misscheduled, as upstream counts it.
    const all = (await ok<List<PodObj>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dedge`)).items;
    const leaving = all.find((p) => p.spec.nodeName === hollow(1));
    expect(leaving?.metadata.deletionTimestamp).toBeDefined();
    await waitFor('misscheduled 1', async () => { const x = await getDs(ns, 'edge'); return x.status?.desiredNumberScheduled === 1 && x.status.numberMisscheduled === 1; });
    await kubectlOk(['delete', 'pod', leaving!.metadata.name, '-n', ns, '--grace-period=0', '--force']);
    await waitFor('misscheduled 0', async () => { const x = await getDs(ns, 'edge'); return x.status?.currentNumberScheduled === 1 && x.status.numberMisscheduled === 0; });
  });
});

describe('updates, on hollow nodes with the stand-in kubelet', () => {
  let ns: string;
  let runner: { stop(): void };
  const roll = { 'ds-roll': suffix };
  beforeAll(async () => {
    ns = await createNamespace('e2e-ds-roll');
    runner = podRunner.start(ns);
    for (const i of [1, 2, 3]) await kubectlOk(['label', 'node', hollow(i), `ds-roll=${suffix}`, '--overwrite']);
  });
  afterAll(async () => { runner.stop(); await kubectlOk(['delete', 'daemonset', '--all', '-n', ns]); });

  const rollout = (name: string) => kubectlOk(['rollout', 'status', `daemonset/${name}`, '-n', ns, '--timeout=60s']);
  const images = async (name: string) => (await listPods(ns, name)).map((p) => p.spec.containers[0].image).sort();

  test('RollingUpdate with maxUnavailable 1 replaces one node at a time; history and undo', async () => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: dsYaml('ru', 'busybox:1.36', { scheduler: unscheduledSchedulerName, nodeSelector: roll }) });
    expect((await rollout('ru')).trim().split('\n').pop()).toBe('daemon set "ru" successfully rolled out');
    expect(await images('ru')).toEqual(['busybox:1.36', 'busybox:1.36', 'busybox:1.36']);
    const census = await PodCensus.start(ns, 'ru');
    await kubectlOk(['set', 'image', 'daemonset/ru', '-n', ns, 'main=busybox:1.37']);
    const out = await rollout('ru');
    expect(out).toContain('Waiting for daemon set "ru" rollout to finish:');
    await waitFor('all at 1.37', async () => (await images('ru')).join() === 'busybox:1.37,busybox:1.37,busybox:1.37');
    census.stop();
    expect(census.maxLive).toBe(3);
    expect(census.minReady).toBe(2);
    const d = await getDs(ns, 'ru');
    expect(d.status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3, numberAvailable: 3 });
    const pods = await listPods(ns, 'ru');
    expect(new Set(pods.map((p) => p.metadata.labels?.['pod-template-generation']))).toEqual(new Set(['2']));

    const hist = await kubectlOk(['rollout', 'history', 'daemonset/ru', '-n', ns]);
    expect(hist.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['1', '2']);
    const revs = (await ok<List<KubeObject & { revision: number }>>('GET', `/apis/apps/v1/namespaces/${ns}/controllerrevisions?labelSelector=app%3Dru`)).items;
    for (const r of revs) expect(r.metadata.name).toBe(`ru-${r.metadata.labels?.['controller-revision-hash']}`);
    expect(new Set(pods.map((p) => p.metadata.labels?.['controller-revision-hash']))).toEqual(new Set([revs.find((r) => r.revision === 2)?.metadata.labels?.['controller-revision-hash']]));
    expect(await kubectlOk(['rollout', 'undo', 'daemonset/ru', '-n', ns])).toBe('daemonset.apps/ru rolled back\n');
    await rollout('ru');
    await waitFor('all back at 1.36', async () => (await images('ru')).join() === 'busybox:1.36,busybox:1.36,busybox:1.36');
    const hist2 = await kubectlOk(['rollout', 'history', 'daemonset/ru', '-n', ns]);
    expect(hist2.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['2', '3']);
  });

  test('RollingUpdate with maxSurge 1 starts the new pod beside the old one and never goes below 3 ready', async () => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: dsYaml('surge', 'busybox:1.36', { scheduler: unscheduledSchedulerName, nodeSelector: roll, strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}' }) });
    await rollout('surge');
    const census = await PodCensus.start(ns, 'surge');
    await kubectlOk(['set', 'image', 'daemonset/surge', '-n', ns, 'main=busybox:1.37']);
    await rollout('surge');
    await waitFor('all at 1.37', async () => (await images('surge')).join() === 'busybox:1.37,busybox:1.37,busybox:1.37');
    census.stop();
    expect(census.maxLive).toBe(4);
    expect(census.minReady).toBe(3);
  });

  test('OnDelete replaces only the pods someone deletes', async () => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: dsYaml('od', 'busybox:1.36', { scheduler: unscheduledSchedulerName, nodeSelector: roll, strategy: '{type: OnDelete}' }) });
    await waitFor('3 ready', async () => (await getDs(ns, 'od')).status?.numberReady === 3, 30_000);
    await kubectlOk(['set', 'image', 'daemonset/od', '-n', ns, 'main=busybox:1.37']);
    await waitFor('observed', async () => { const d = await getDs(ns, 'od'); return d.status?.observedGeneration === d.metadata.generation; });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await images('od')).toEqual(['busybox:1.36', 'busybox:1.36', 'busybox:1.36']);
    const victim = (await listPods(ns, 'od'))[0];
    await kubectlOk(['delete', 'pod', victim.metadata.name, '-n', ns]);
    await waitFor('one pod at 1.37', async () => (await images('od')).join() === 'busybox:1.36,busybox:1.36,busybox:1.37');
    expect((await getDs(ns, 'od')).status?.updatedNumberScheduled).toBe(1);
  });
});
