// Deployments end to end with stock kubectl and the suite's controller-manager: a Deployment of 3 (then 4)
// becomes available; an image change rolls pods one step at a time within maxSurge/maxUnavailable
// (checked at every pod event of a watch); `kubectl rollout status|history|undo|restart|pause|resume` and
// `kubectl scale`; Recreate; revisionHistoryLimit. Pods are run by the PodRunner of pod-status-stand-in.ts.
import { createNamespace, kubectl, kubectlOk, waitFor } from './kubectl';
import { ok, unscheduledSchedulerName, type KubeObject, type List } from '../integration/http';
import { podRunner } from '../integration/pod-status-stand-in';
import { PodCensus } from './pod-census';

interface Cond { type: string; status: string; reason?: string; message?: string }
interface Deploy extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  spec: { replicas: number; paused?: boolean; template: { metadata?: { annotations?: Record<string, string> } } };
  status?: { replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; unavailableReplicas?: number; observedGeneration?: number; conditions?: Cond[] };
}
interface RS extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: { uid: string; kind: string; controller?: boolean }[] };
  spec: { replicas: number; template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } } };
  status?: { replicas?: number; availableReplicas?: number };
}

let ns: string;
let runner: { stop(): void };
beforeAll(async () => { ns = await createNamespace('e2e-deploy'); runner = podRunner.start(ns); });
afterAll(() => runner.stop());

function deployYaml(name: string, replicas: number, image: string, strategy = 'type: RollingUpdate\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 1}', extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  ${extra}
  strategy:
    ${strategy}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {schedulerName: ${unscheduledSchedulerName}, containers: [{name: main, image: "${image}"}]}
`;
}

const getDeploy = (name: string): Promise<Deploy> => ok<Deploy>('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
async function replicaSets(d: Deploy): Promise<RS[]> {
  const all = (await ok<List<RS>>('GET', `/apis/apps/v1/namespaces/${ns}/replicasets`)).items;
  return all.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid && r.controller));
}
const cond = (d: Deploy, type: string): Cond | undefined => d.status?.conditions?.find((c) => c.type === type);
const imageOf = (rs: RS): string => rs.spec.template.spec.containers[0].image;

test('a Deployment of 3 reaches 3 available; its ReplicaSet is <name>-<hash> at revision 1', async () => {
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: deployYaml('web', 3, 'busybox:1.36') });
  const out = await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
  expect(out.trim().split('\n').pop()).toBe('deployment "web" successfully rolled out');
  const d = await getDeploy('web');
  expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: d.metadata.generation });
  expect(cond(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
  const rss = await replicaSets(d);
  expect(rss).toHaveLength(1);
  const hash = rss[0].spec.template.metadata.labels['pod-template-hash'];
  expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  expect(rss[0].metadata.name).toBe(`web-${hash}`);
  expect(cond(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
  expect(rss[0].metadata.annotations).toEqual({
    'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
  });
  expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
});

test('an image change rolls pods within maxSurge 1 / maxUnavailable 1 at every step', async () => {
  await kubectlOk(['scale', 'deployment/web', '-n', ns, '--replicas=4']);
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
  const census = await PodCensus.start(ns, 'web');
  expect(census.live()).toHaveLength(4);
  await kubectlOk(['set', 'image', 'deployment/web', '-n', ns, 'main=busybox:1.37']);
  const out = await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
  expect(out).toContain('Waiting for deployment "web" rollout to finish:');
  expect(out.trim().split('\n').pop()).toBe('deployment "web" successfully rolled out');
  await waitFor('4 new pods, old ones gone', () => census.live().length === 4);
  census.stop();
  expect(census.maxLive).toBeLessThanOrEqual(4 + 1);
  expect(census.minReady).toBeGreaterThanOrEqual(4 - 1);
  // One step at a time: replicas moved in several scaling events, not all at once.
  const events = (await ok<List<KubeObject & { reason: string; message: string; involvedObject: { name: string } }>>('GET', `/api/v1/namespaces/${ns}/events`)).items
    .filter((e) => e.reason === 'ScalingReplicaSet' && e.involvedObject.name === 'web').map((e) => e.message);
  expect(events.filter((m) => m.startsWith('Scaled down replica set')).length).toBeGreaterThanOrEqual(2);
  const rss = await replicaSets(await getDeploy('web'));
  expect(rss.map((r) => [imageOf(r), r.spec.replicas, r.metadata.annotations?.['deployment.kubernetes.io/revision']]).sort())
    .toEqual([['busybox:1.36', 0, '1'], ['busybox:1.37', 4, '2']]);
});

test('rollout history lists the revisions; rollout undo brings back the old ReplicaSet', async () => {
  const hist = await kubectlOk(['rollout', 'history', 'deployment/web', '-n', ns]);
  expect(hist.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['1', '2']);
  const before = await replicaSets(await getDeploy('web'));
  const old = before.find((r) => imageOf(r) === 'busybox:1.36')!;
  expect(await kubectlOk(['rollout', 'undo', 'deployment/web', '-n', ns])).toBe('deployment.apps/web rolled back\n');
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
  const after = await replicaSets(await getDeploy('web'));
  expect(after).toHaveLength(2);
  const back = after.find((r) => r.metadata.name === old.metadata.name)!;
  expect(back.spec.replicas).toBe(4);
  expect(back.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
  expect(after.find((r) => r !== back)!.spec.replicas).toBe(0);
  const hist2 = await kubectlOk(['rollout', 'history', 'deployment/web', '-n', ns]);
  expect(hist2.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['2', '3']);
});

test('pause holds a template change until resume; scale works while paused', async () => {
  expect(await kubectlOk(['rollout', 'pause', 'deployment/web', '-n', ns])).toBe('deployment.apps/web paused\n');
  await kubectlOk(['set', 'image', 'deployment/web', '-n', ns, 'main=busybox:1.38']);
  expect(await kubectlOk(['scale', 'deployment/web', '-n', ns, '--replicas=2'])).toBe('deployment.apps/web scaled\n');
  const paused = await waitFor('the paused change observed', async () => {
    const d = await getDeploy('web');
    return d.status?.observedGeneration === d.metadata.generation && d.status?.replicas === 2 && d;
  });
  expect(cond(paused, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
  const rss = await replicaSets(paused);
  expect(rss.map(imageOf).sort()).toEqual(['busybox:1.36', 'busybox:1.37']);
  expect(rss.find((r) => imageOf(r) === 'busybox:1.36')!.spec.replicas).toBe(2);
  const undo = await kubectl(['rollout', 'undo', 'deployment/web', '-n', ns]);
  expect(undo.code).not.toBe(0);
  expect(undo.stderr).toContain("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");

  expect(await kubectlOk(['rollout', 'resume', 'deployment/web', '-n', ns])).toBe('deployment.apps/web resumed\n');
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
  const d = await getDeploy('web');
  expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
  const now = await replicaSets(d);
  expect(now.find((r) => imageOf(r) === 'busybox:1.38')!.spec.replicas).toBe(2);
});

test('rollout restart stamps the template and rolls new pods', async () => {
  expect(await kubectlOk(['rollout', 'restart', 'deployment/web', '-n', ns])).toBe('deployment.apps/web restarted\n');
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
  const d = await getDeploy('web');
  expect(d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeDefined();
  const rss = await replicaSets(d);
  const current = rss.find((r) => r.spec.replicas === 2)!;
  expect(current.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
  expect(rss.filter((r) => r !== current).every((r) => r.spec.replicas === 0)).toBe(true);
});

test('revisionHistoryLimit keeps that many old ReplicaSets', async () => {
  await kubectlOk(['patch', 'deployment/web', '-n', ns, '-p', '{"spec":{"revisionHistoryLimit":1}}']);
  await kubectlOk(['set', 'image', 'deployment/web', '-n', ns, 'main=busybox:1.39']);
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
  const rss = await waitFor('old sets trimmed to 1', async () => { const l = await replicaSets(await getDeploy('web')); return l.length === 2 && l; });
  expect(rss.map(imageOf)).toContain('busybox:1.39');
});

test('Recreate removes every old pod before the first new one starts', async () => {
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: deployYaml('rec', 3, 'busybox:1.36', 'type: Recreate') });
  await kubectlOk(['rollout', 'status', 'deployment/rec', '-n', ns, '--timeout=60s']);
  const census = await PodCensus.start(ns, 'rec');
  await kubectlOk(['set', 'image', 'deployment/rec', '-n', ns, 'main=busybox:1.37']);
  await kubectlOk(['rollout', 'status', 'deployment/rec', '-n', ns, '--timeout=60s']);
  await waitFor('3 new pods', () => census.live().length === 3);
  census.stop();
  expect(census.maxLive).toBe(3);
  expect(census.minReady).toBe(0);
});
