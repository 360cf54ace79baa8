// The DaemonSet controller's pure logic: tolerations and node pinning of daemon pods, which nodes should
// run one, the manage step, rolling updates within maxUnavailable and maxSurge, and the status.
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1';
import { daemonPodTemplate, newDaemonPod, nodeShouldRunDaemonPod, targetNodeName, withDaemonTolerations } from '../../src/controllers/daemonset/daemon-pod';
import { daemonSetStatus, planManage, planRollingUpdate, type DaemonInput } from '../../src/controllers/daemonset/daemon-plan';

const ref = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u', controller: true };

function ds(spec: Partial<NonNullable<DaemonSet['spec']>> = {}, generation = '2'): DaemonSet {
  return {
    metadata: { name: 'ds', namespace: 'ns', generation: 2, annotations: { 'deprecated.daemonset.template.generation': generation } },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      ...spec,
    },
  };
}

const node = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node => ({ metadata: { name, labels }, spec: { taints } });

let seq = 0;
function pod(d: DaemonSet, nodeName: string, hash: string, state: 'ready' | 'pending' | 'failed' = 'ready'): Pod {
  const base = newDaemonPod(d, hash, nodeName, ref);
  seq++;
  return {
    ...base,
    metadata: { ...base.metadata, name: `p${seq}`, uid: `uid${seq}`, creationTimestamp: new Date(1_700_000_000_000 + seq * 1000).toISOString() },
    status: state === 'ready' ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } : { phase: state === 'failed' ? 'Failed' : 'Pending' },
  };
}

const input = (d: DaemonSet, nodes: Node[], pods: Pod[], hash = 'new'): DaemonInput => ({ ds: d, nodes, pods, hash, now: Date.now() });

describe('daemon pods', () => {
  test('get the node.kubernetes.io tolerations, network-unavailable only with hostNetwork, an equal one replaced in place', () => {
    expect(withDaemonTolerations({ containers: [] }).map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(withDaemonTolerations({ containers: [], hostNetwork: true }).pop()).toEqual({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
    const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' };
    expect(withDaemonTolerations({ containers: [], tolerations: [own] }).filter((t) => t.key === own.key)).toEqual([own]);
  });

  test('are pinned to their node by required node affinity (replacing the template\'s terms) and labelled with hash and generation', () => {
    const d = ds({ template: { metadata: { labels: { app: 'd' } }, spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } } } } });
    const p = newDaemonPod(d, 'h1', 'n1', ref);
    expect(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] });
    expect(p.metadata?.labels).toEqual({ app: 'd', 'controller-revision-hash': 'h1', 'pod-template-generation': '2' });
    expect(p.metadata?.generateName).toBe('ds-');
    expect(targetNodeName(p)).toBe('n1');
    expect(targetNodeName({ spec: { containers: [], nodeName: 'n2' } })).toBe('n2');
  });

  test('nodes: selector and affinity decide, NoSchedule stops new pods, NoExecute also removes running ones, daemon tolerations count', () => {
    const t = daemonPodTemplate(ds({ template: { metadata: { labels: { app: 'd' } }, spec: { containers: [], nodeSelector: { role: 'edge' } } } }), 'h');
    expect(nodeShouldRunDaemonPod(node('a', { role: 'edge' }), t)).toEqual({ shouldRun: true, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('b'), t)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node('c', { role: 'edge' }, [{ key: 'x', effect: 'NoSchedule' }]), t)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('d', { role: 'edge' }, [{ key: 'x', effect: 'NoExecute' }]), t)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node('e', { role: 'edge' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), t).shouldRun).toBe(true);
    expect(nodeShouldRunDaemonPod(node('f', { role: 'edge' }, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]), t))
      .toEqual({ shouldRun: false, shouldContinueRunning: true });
  });
});

describe('manage', () => {
  test('creates on nodes without a pod, deletes from nodes that may not keep one, failed pods and extras', () => {
    const d = ds({ template: { metadata: { labels: { app: 'd' } }, spec: { containers: [], nodeSelector: { on: 'y' } } } });
    const nodes = [node('a', { on: 'y' }), node('b', { on: 'y' }), node('c'), node('e', { on: 'y' })];
    const onC = pod(d, 'c', 'new');
    const failed = pod(d, 'b', 'new', 'failed');
    const first = pod(d, 'e', 'new');
    const extra = pod(d, 'e', 'new');
    const plan = planManage(input(d, nodes, [onC, failed, first, extra]));
    expect(plan.createOn).toEqual(['a']);
    expect(plan.delete.map((p) => p.metadata?.name).sort()).toEqual([onC, failed, extra].map((p) => p.metadata?.name).sort());
  });
});

describe('rolling update', () => {
  const nodes = [node('a'), node('b'), node('c')];
  test('maxUnavailable 1 deletes one old pod at a time, and none while a new pod is not yet available', () => {
    const d = ds();
    const pods = [pod(d, 'a', 'old'), pod(d, 'b', 'old'), pod(d, 'c', 'old')].map((p) => { p.metadata!.labels!['pod-template-generation'] = '1'; return p; });
    expect(planRollingUpdate(input(d, nodes, pods)).delete).toHaveLength(1);
    pods[0] = pod(d, 'a', 'new', 'pending');
    expect(planRollingUpdate(input(d, nodes, pods)).delete).toHaveLength(0);
    pods[0] = pod(d, 'a', 'new');
    expect(planRollingUpdate(input(d, nodes, pods)).delete).toHaveLength(1);
  });
  test('maxSurge 1 creates one new pod beside an old one, and deletes the old once the new is available', () => {
    const d = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    const old = [pod(d, 'a', 'old'), pod(d, 'b', 'old'), pod(d, 'c', 'old')].map((p) => { p.metadata!.labels!['pod-template-generation'] = '1'; return p; });
    const plan = planRollingUpdate(input(d, nodes, old));
    expect(plan).toEqual({ createOn: ['a'], delete: [] });
    const surging = pod(d, 'a', 'new', 'pending');
    expect(planRollingUpdate(input(d, nodes, [...old, surging]))).toEqual({ createOn: [], delete: [] });
    const ready = pod(d, 'a', 'new');
    expect(planRollingUpdate(input(d, nodes, [...old, ready])).delete).toEqual([old[0]]);
    // The manage step keeps both while the new one is not ready, then lets the old go.
    expect(planManage(input(d, nodes, [...old, surging])).delete).toEqual([]);
    expect(planManage(input(d, nodes, [...old, ready])).delete).toEqual([old[0]]);
  });
  test('OnDelete plans nothing', () => {
    const d = ds({ updateStrategy: { type: 'OnDelete' } });
    expect(planRollingUpdate(input(d, nodes, [pod(d, 'a', 'old')]))).toEqual({ createOn: [], delete: [] });
  });
});

test('status counts desired, scheduled, misscheduled, ready, available and updated nodes', () => {
  const d = ds({ template: { metadata: { labels: { app: 'd' } }, spec: { containers: [], nodeSelector: { on: 'y' } } } });
  const nodes = [node('a', { on: 'y' }), node('b', { on: 'y' }), node('c', { on: 'y' }), node('x')];
  const old = pod(d, 'b', 'old', 'pending');
  old.metadata!.labels!['pod-template-generation'] = '1';
  const status = daemonSetStatus(input(d, nodes, [pod(d, 'a', 'new'), old, pod(d, 'x', 'new')]), undefined);
  expect(status).toEqual({
    desiredNumberScheduled: 3, currentNumberScheduled: 2, numberMisscheduled: 1, numberReady: 1, numberAvailable: 1,
    updatedNumberScheduled: 1, numberUnavailable: 2, observedGeneration: 2,
  });
});
