// The ReplicaSet controller in the suite's controller-manager against the real apiserver: pods created
// from the template with controller references and upstream names and events, status through the status
// subresource, replacement of a deleted pod, scale-down in rank order, adoption and release by selector.
import { kubectlOk, waitFor } from '../e2e/kubectl';
import { createNamespace, ok, unscheduledSchedulerName, type KubeObject, type List } from './http';
import { markRunningReady, podRunner } from './pod-status-stand-in';

interface Pod extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[]; generateName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}
interface RS extends KubeObject { status?: { replicas?: number; fullyLabeledReplicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number } }

let ns: string;
beforeAll(async () => { ns = await createNamespace('it-rs'); });

function rsYaml(name: string, replicas: number, app = name): string {
  return `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}, tier: web}}
    spec: {schedulerName: ${unscheduledSchedulerName}, containers: [{name: c, image: "busybox:1.36"}]}
`;
}

const pods = async (selector: string): Promise<Pod[]> =>
  (await ok<List<Pod>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`)).items;
const getRS = (name: string): Promise<RS> => ok<RS>('GET', `/apis/apps/v1/namespaces/${ns}/replicasets/${name}`);
const live = (ps: Pod[]): Pod[] => ps.filter((p) => !p.metadata.deletionTimestamp);

async function podsOf(rs: RS): Promise<Pod[]> {
  const all = live(await pods(''));
  return all.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid && r.controller));
}

test('creates spec.replicas owned pods named <rs>-<5 chars>, records events, and reports ready/available status', async () => {
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: rsYaml('web', 3) });
  const rs = await getRS('web');
  const created = await waitFor('3 pods', async () => { const ps = await podsOf(rs); return ps.length === 3 && ps; });
  for (const p of created) {
    expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.metadata.generateName).toBe('web-');
    expect(p.metadata.labels).toEqual({ app: 'web', tier: 'web' });
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  await waitFor('status replicas 3, ready 0', async () => {
    const s = (await getRS('web')).status;
    return s?.replicas === 3 && s.fullyLabeledReplicas === 3 && s.readyReplicas === undefined && s.observedGeneration === 1;
  });
  const events = await waitFor('3 SuccessfulCreate events', async () => {
    const ev = (await ok<List<KubeObject & { reason: string; message: string; involvedObject: { name: string } }>>('GET', `/api/v1/namespaces/${ns}/events`)).items
      .filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject.name === 'web');
    return ev.length === 3 && ev;
  });
  expect(events.map((e) => e.message).sort()).toEqual(created.map((p) => `Created pod: ${p.metadata.name}`).sort());

  const runner = podRunner.start(ns);
  try {
    await waitFor('3 ready and available', async () => {
      const s = (await getRS('web')).status;
      return s?.readyReplicas === 3 && s.availableReplicas === 3;
    });
  } finally { runner.stop(); }
  expect(await kubectlOk(['get', 'rs', 'web', '-n', ns, '--no-headers'])).toMatch(/^web\s+3\s+3\s+3\s/);
});

test('a deleted pod is replaced', async () => {
  const rs = await getRS('web');
  const before = await podsOf(rs);
  const victim = before[0].metadata.name;
  await kubectlOk(['delete', 'pod', victim, '-n', ns, '--wait=false']);
  const after = await waitFor('a replacement', async () => {
    const ps = await podsOf(rs);
    return ps.length === 3 && !ps.some((p) => p.metadata.name === victim) && ps;
  });
  expect(after.filter((p) => !before.some((b) => b.metadata.name === p.metadata.name))).toHaveLength(1);
});

test('scaling down deletes not-ready pods before ready ones and records SuccessfulDelete', async () => {
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: rsYaml('rank', 3) });
  const rs = await getRS('rank');
  const three = await waitFor('3 pods', async () => { const ps = await podsOf(rs); return ps.length === 3 && ps; });
  const keep = three[1];
  await markRunningReady(ns, keep);
  await waitFor('one ready', async () => (await getRS('rank')).status?.readyReplicas === 1);
  expect(await kubectlOk(['scale', 'rs', 'rank', '--replicas=1', '-n', ns])).toBe('replicaset.apps/rank scaled\n');
  const left = await waitFor('1 pod left', async () => { const ps = await podsOf(rs); return ps.length === 1 && ps; });
  expect(left[0].metadata.name).toBe(keep.metadata.name);
  await waitFor('SuccessfulDelete events', async () => {
    const msgs = (await ok<List<KubeObject & { reason: string; message: string }>>('GET', `/api/v1/namespaces/${ns}/events`)).items
      .filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message).sort();
    const want = three.filter((p) => p !== keep).map((p) => `Deleted pod: ${p.metadata.name}`).sort();
    return want.every((m) => msgs.includes(m));
  });
  await waitFor('status replicas 1', async () => (await getRS('rank')).status?.replicas === 1);
});

test('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
  await kubectlOk(['run', 'stray', '-n', ns, '--image=busybox:1.36', '--labels=app=adopt,tier=web']);
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: rsYaml('adopt', 2) });
  const rs = await getRS('adopt');
  const owned = await waitFor('2 owned pods', async () => { const ps = await podsOf(rs); return ps.length === 2 && ps; });
  expect(owned.map((p) => p.metadata.name)).toContain('stray');
  const stray = owned.find((p) => p.metadata.name === 'stray')!;
  expect(stray.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ReplicaSet', name: 'adopt', controller: true, blockOwnerDeletion: true })]);

  await kubectlOk(['label', 'pod', 'stray', '-n', ns, 'app=gone', '--overwrite']);
  await waitFor('stray released and replaced', async () => {
    const p = await ok<Pod>('GET', `/api/v1/namespaces/${ns}/pods/stray`);
    const ps = await podsOf(rs);
    return !p.metadata.ownerReferences?.length && ps.length === 2 && !ps.some((x) => x.metadata.name === 'stray');
  });
});
