// StatefulSets end to end with stock kubectl and the suite's controller-manager: `web` of 2 creates web-0
// then web-1 (web-1 only once web-0 is Ready, asserted on a pod watch) with claims www-web-0/1 that outlive
// their pods; a deleted pod comes back under its name; scaling to 0 removes the highest ordinal first;
// RollingUpdate with a partition, highest ordinal first; `kubectl rollout status|history|undo`; OnDelete;
// Parallel; and one small set run for real by the suite's kubelet and containerd, its pod found by DNS name.
import { createNamespace, kubectlOk, waitFor } from './kubectl';
import { markRunningReady, podRunner } from '../integration/pod-status-stand-in';
import { ok, request, unscheduledSchedulerName, Watch, type KubeObject, type List, type WatchEvent } from '../integration/http';

interface PodObj extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec: { hostname?: string; subdomain?: string; nodeName?: string; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[]; containers: { image: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}
interface StsObj extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  status?: { replicas?: number; readyReplicas?: number; currentReplicas?: number; updatedReplicas?: number; availableReplicas?: number; currentRevision?: string; updateRevision?: string; observedGeneration?: number; collisionCount?: number };
}
interface RevObj extends KubeObject { revision: number; data: { spec: { template: { $patch?: string; spec: { containers: { image: string }[] } } } } }

const isReady = (p: PodObj): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function stsYaml(name: string, replicas: number, image: string, extra = '', claims = true, scheduler = unscheduledSchedulerName): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector: {matchLabels: {app: ${name}}}
${extra}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      schedulerName: ${scheduler}
      terminationGracePeriodSeconds: 1
      containers: [{name: main, image: "${image}", command: [sh, -c, "exec sleep 3600"]}]
${claims ? `  volumeClaimTemplates:
  - metadata: {name: www}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}
` : ''}`;
}

/** Every pod event of one app, in order, as [type, name, ready] (deletions as DELETED). */
class PodLog {
  private constructor(private readonly w: Watch) {}
  static async start(ns: string, app: string): Promise<PodLog> {
    const list = await ok<List<PodObj>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`);
    return new PodLog(new Watch(`/api/v1/namespaces/${ns}/pods?watch=true&labelSelector=app%3D${app}&resourceVersion=${list.metadata.resourceVersion}`));
  }
  get events(): WatchEvent[] { return this.w.events; }
  /** Index of the first event matching, or -1. */
  first(pred: (type: string, p: PodObj) => boolean): number {
    return this.w.events.findIndex((e) => pred(e.type, e.object as unknown as PodObj));
  }
  stop(): void { this.w.close(); }
}

let ns: string;
let runner: { stop(): void };
beforeAll(async () => { ns = await createNamespace('e2e-sts'); runner = podRunner.start(ns); });
afterAll(() => runner.stop());

const getSts = (name: string, n = ns): Promise<StsObj> => ok<StsObj>('GET', `/apis/apps/v1/namespaces/${n}/statefulsets/${name}`);
const getPod = (name: string, n = ns): Promise<PodObj> => ok<PodObj>('GET', `/api/v1/namespaces/${n}/pods/${name}`);
const listPods = async (app: string, n = ns): Promise<PodObj[]> =>
  (await ok<List<PodObj>>('GET', `/api/v1/namespaces/${n}/pods?labelSelector=app%3D${app}`)).items;
const revisions = async (app: string): Promise<RevObj[]> =>
  (await ok<List<RevObj>>('GET', `/apis/apps/v1/namespaces/${ns}/controllerrevisions?labelSelector=app%3D${app}`)).items.sort((a, b) => a.revision - b.revision);

test('web of 2 creates web-0, then web-1 once web-0 is Ready, with claims www-web-0/1 and stable identities', async () => {
  const log = await PodLog.start(ns, 'web');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: stsYaml('web', 2, 'busybox:1.36') });
  const out = await kubectlOk(['rollout', 'status', 'statefulset/web', '-n', ns, '--timeout=60s']);
  expect(out.trim().split('\n').pop()).toBe('partitioned roll out complete: 2 new pods have been updated...');
  log.stop();
  const web0Added = log.first((t, p) => t === 'ADDED' && p.metadata.name === 'web-0');
  const web0Ready = log.first((t, p) => p.metadata.name === 'web-0' && isReady(p));
  const web1Added = log.first((t, p) => t === 'ADDED' && p.metadata.name === 'web-1');
  expect(web0Added).toBeGreaterThanOrEqual(0);
  expect(web0Ready).toBeGreaterThan(web0Added);
  expect(web1Added).toBeGreaterThan(web0Ready);

  const sts = await getSts('web');
  const [rev] = await revisions('web');
  expect(rev.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  expect(rev.revision).toBe(1);
  expect(rev.data.spec.template.$patch).toBe('replace');
  expect(sts.status).toEqual({
    observedGeneration: sts.metadata.generation, replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2,
    currentRevision: rev.metadata.name, updateRevision: rev.metadata.name, collisionCount: 0,
  });
  for (const i of [0, 1]) {
    const pod = await getPod(`web-${i}`);
    expect(pod.spec.hostname).toBe(`web-${i}`);
    expect(pod.spec.subdomain).toBe('web');
    expect(pod.metadata.labels).toEqual({
      app: 'web', 'controller-revision-hash': rev.metadata.name, 'statefulset.kubernetes.io/pod-name': `web-${i}`, 'apps.kubernetes.io/pod-index': String(i),
    });
    expect(pod.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'StatefulSet', name: 'web', controller: true })]);
    expect(pod.spec.volumes?.[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: `www-web-${i}` } });
    const pvc = await ok<KubeObject & { spec: { resources: { requests: { storage: string } } } }>('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims/www-web-${i}`);
    expect(pvc.metadata.labels).toEqual({ app: 'web' });
    expect(pvc.spec.resources.requests.storage).toBe('1Mi');
  }
  const pvcs = await kubectlOk(['get', 'pvc', '-n', ns, '-o', 'name']);
  expect(pvcs.trim().split('\n').sort()).toEqual(['persistentvolumeclaim/www-web-0', 'persistentvolumeclaim/www-web-1']);
});

test('a deleted pod comes back under the same name and keeps its claim', async () => {
  const before = await getPod('web-0');
  const claimUid = (await ok<KubeObject>('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims/www-web-0`)).metadata.uid;
  await kubectlOk(['delete', 'pod', 'web-0', '-n', ns]);
  const after = await waitFor('web-0 recreated', async () => {
    const r = await request('GET', `/api/v1/namespaces/${ns}/pods/web-0`);
    const p = r.status === 200 ? JSON.parse(r.body) as PodObj : undefined;
    return p && p.metadata.uid !== before.metadata.uid && p;
  });
  expect(after.spec.volumes?.[0].persistentVolumeClaim?.claimName).toBe('www-web-0');
  expect((await ok<KubeObject>('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims/www-web-0`)).metadata.uid).toBe(claimUid);
  await kubectlOk(['rollout', 'status', 'statefulset/web', '-n', ns, '--timeout=60s']);
});

test('RollingUpdate with a partition updates only the ordinals at or above it, highest first; history and undo', async () => {
  await kubectlOk(['scale', 'statefulset/web', '-n', ns, '--replicas=3']);
  await kubectlOk(['rollout', 'status', 'statefulset/web', '-n', ns, '--timeout=60s']);
  await kubectlOk(['patch', 'statefulset/web', '-n', ns, '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}']);
  await kubectlOk(['set', 'image', 'statefulset/web', '-n', ns, 'main=busybox:1.37']);
  const out = await kubectlOk(['rollout', 'status', 'statefulset/web', '-n', ns, '--timeout=60s']);
  expect(out.trim().split('\n').pop()).toBe('partitioned roll out complete: 1 new pods have been updated...');
  const images = async () => Object.fromEntries((await listPods('web')).map((p) => [p.metadata.name, p.spec.containers[0].image]));
  expect(await images()).toEqual({ 'web-0': 'busybox:1.36', 'web-1': 'busybox:1.36', 'web-2': 'busybox:1.37' });
  const revs = await revisions('web');
  expect(revs.map((r) => [r.revision, r.data.spec.template.spec.containers[0].image])).toEqual([[1, 'busybox:1.36'], [2, 'busybox:1.37']]);
  let sts = await getSts('web');
  expect(sts.status).toMatchObject({ currentRevision: revs[0].metadata.name, updateRevision: revs[1].metadata.name, currentReplicas: 2, updatedReplicas: 1 });

  const log = await PodLog.start(ns, 'web');
  await kubectlOk(['patch', 'statefulset/web', '-n', ns, '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
  await kubectlOk(['rollout', 'status', 'statefulset/web', '-n', ns, '--timeout=60s']);
  await waitFor('every pod at busybox:1.37', async () => Object.values(await images()).every((i) => i === 'busybox:1.37'));
  log.stop();
  const deleted = log.events.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata.name);
  expect(deleted).toEqual(['web-1', 'web-0']);
  sts = await getSts('web');
  expect(sts.status).toMatchObject({ currentRevision: revs[1].metadata.name, updateRevision: revs[1].metadata.name, currentReplicas: 3, updatedReplicas: 3 });

  const hist = await kubectlOk(['rollout', 'history', 'statefulset/web', '-n', ns]);
  expect(hist.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['1', '2']);
  expect(await kubectlOk(['rollout', 'undo', 'statefulset/web', '-n', ns])).toBe('statefulset.apps/web rolled back\n');
  await kubectlOk(['rollout', 'status', 'statefulset/web', '-n', ns, '--timeout=60s']);
  await waitFor('every pod back at busybox:1.36', async () => Object.values(await images()).every((i) => i === 'busybox:1.36'));
  const after = await revisions('web');
  // The old template is the old revision again, renumbered as the newest.
  expect(after.map((r) => [r.metadata.name, r.revision])).toEqual([[revs[1].metadata.name, 2], [revs[0].metadata.name, 3]]);
});

test('scaling to 0 removes the highest ordinal first, one at a time; the claims stay', async () => {
  const log = await PodLog.start(ns, 'web');
  await kubectlOk(['scale', 'statefulset/web', '-n', ns, '--replicas=0']);
  await waitFor('no web pods', async () => (await listPods('web')).length === 0, 30_000);
  log.stop();
  expect(log.events.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata.name)).toEqual(['web-2', 'web-1', 'web-0']);
  const pvcs = await kubectlOk(['get', 'pvc', '-n', ns, '-o', 'name']);
  expect(pvcs.trim().split('\n').sort()).toEqual(['persistentvolumeclaim/www-web-0', 'persistentvolumeclaim/www-web-1', 'persistentvolumeclaim/www-web-2']);
  await waitFor('status at 0', async () => (await getSts('web')).status?.replicas === 0);
});

test('OnDelete leaves running pods alone; a deleted pod comes back at the new template', async () => {
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: stsYaml('od', 2, 'busybox:1.36', '  updateStrategy: {type: OnDelete}', false) });
  await waitFor('od ready', async () => (await getSts('od')).status?.readyReplicas === 2, 30_000);
  await kubectlOk(['set', 'image', 'statefulset/od', '-n', ns, 'main=busybox:1.37']);
  await waitFor('update revision observed', async () => { const s = await getSts('od'); return s.status?.observedGeneration === s.metadata.generation && s.status?.updateRevision !== s.status?.currentRevision; });
  await new Promise((r) => setTimeout(r, 1000));
  expect((await listPods('od')).map((p) => p.spec.containers[0].image)).toEqual(['busybox:1.36', 'busybox:1.36']);
  await kubectlOk(['delete', 'pod', 'od-1', '-n', ns]);
  await waitFor('od-1 back at 1.37', async () => (await listPods('od')).find((p) => p.metadata.name === 'od-1')?.spec.containers[0].image === 'busybox:1.37');
  expect((await getPod('od-0')).spec.containers[0].image).toBe('busybox:1.36');
});

describe('without a kubelet for the pods', () => {
  let bare: string;
  beforeAll(async () => { bare = await createNamespace('e2e-sts-bare'); });

  test('OrderedReady waits for web-0 to be Ready before creating web-1', async () => {
    await kubectlOk(['apply', '-n', bare, '-f', '-'], { input: stsYaml('web', 2, 'busybox:1.36', '', false) });
    await waitFor('web-0', async () => (await listPods('web', bare)).length === 1);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await listPods('web', bare)).map((p) => p.metadata.name)).toEqual(['web-0']);
    await markRunningReady(bare, await getPod('web-0', bare) as Parameters<typeof markRunningReady>[1]);
    await waitFor('web-1', async () => (await listPods('web', bare)).length === 2);
  });

  test('Parallel creates every pod at once', async () => {
    await kubectlOk(['apply', '-n', bare, '-f', '-'], { input: stsYaml('par', 3, 'busybox:1.36', '  podManagementPolicy: Parallel', false) });
    await waitFor('3 pods none ready', async () => (await listPods('par', bare)).length === 3);
    expect((await listPods('par', bare)).map((p) => p.metadata.name).sort()).toEqual(['par-0', 'par-1', 'par-2']);
  });
});

test('a small StatefulSet runs for real on the suite node (default scheduler, real containerd)', async () => {
  // A namespace of its own: the stand-in kubelet must not touch these pods.
  const real = await createNamespace('e2e-sts-real');
  await kubectlOk(['apply', '-n', real, '-f', '-'], { input: stsYaml('real', 2, 'busybox:1.36', '', false, 'default-scheduler') });
  const out = await kubectlOk(['rollout', 'status', 'statefulset/real', '-n', real, '--timeout=90s'], { timeoutMs: 100_000 });
  expect(out.trim().split('\n').pop()).toBe('partitioned roll out complete: 2 new pods have been updated...');
  const pods = await listPods('real', real);
  expect(pods.map((p) => [p.metadata.name, p.status?.phase, isReady(p), !!p.spec.nodeName])).toEqual([
    ['real-0', 'Running', true, true], ['real-1', 'Running', true, true],
  ]);
  // The hostname the kubelet gave the container is the pod's stable name.
  expect((await kubectlOk(['exec', '-n', real, 'real-1', '--', 'hostname'])).trim()).toBe('real-1');

  // Its DNS identity: behind the headless Service `real`, busybox nslookup from real-1 finds real-0 at its
  // current IP, also once real-0 is recreated with a new one.
  await kubectlOk(['apply', '-n', real, '-f', '-'], { input: JSON.stringify({
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'real' },
    spec: { clusterIP: 'None', selector: { app: 'real' }, ports: [{ name: 'web', port: 80 }] },
  }) });
  const fqdn = `real-0.real.${real}.svc.cluster.local`;
  const resolved = async (): Promise<string[]> => {
    const out = await kubectlOk(['exec', '-n', real, 'real-1', '--', 'sh', '-c', `nslookup ${fqdn} 2>&1; true`]);
    return [...out.matchAll(/^Address: (10\.\S+)$/gm)].map((m) => m[1]!);
  };
  const ipOf = async (): Promise<{ uid?: string; ip?: string }> => {
    const p = JSON.parse(await kubectlOk(['get', 'pod', 'real-0', '-n', real, '-o', 'json'])) as { metadata: { uid?: string }; status?: { podIP?: string } };
    return { uid: p.metadata.uid, ip: p.status?.podIP };
  };
  const first = await ipOf();
  await waitFor(`${fqdn} -> ${first.ip}`, async () => (await resolved()).join() === first.ip, 30_000, 500);
  await kubectlOk(['delete', 'pod', 'real-0', '-n', real]);
  const second = await waitFor('real-0 recreated with an IP', async () => {
    const now = await ipOf().catch(() => undefined);
    return now && now.uid !== first.uid && now.ip ? now : undefined;
  }, 90_000, 500);
  expect(second.ip).not.toBe(first.ip);
  await waitFor(`${fqdn} -> ${second.ip}`, async () => (await resolved()).join() === second.ip, 30_000, 500);
  await kubectlOk(['scale', 'statefulset/real', '-n', real, '--replicas=0']);
  await waitFor('real pods gone', async () => (await listPods('real', real)).length === 0, 60_000);
}, 180_000);
