// Jobs end to end with stock kubectl and the suite's controller-manager: a Job of completions 4 and
// parallelism 2 finishes with 4 succeeded pods and never more than 2 active (checked at every event of a
// pod watch), with upstream's conditions, events and `kubectl get jobs` row; and `kubectl create job`
// with busybox running `exit 0` for real on the suite's node (real scheduler, kubelet and containerd).
import { createNamespace, kubectlOk, table, waitFor } from './kubectl';
import { ok, unscheduledSchedulerName, Watch, type KubeObject, type List } from '../integration/http';
import { exitCodeAnnotation, podRunner } from '../integration/pod-status-stand-in';

interface Cond { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }
interface JobObj extends KubeObject {
  status?: { active?: number; succeeded?: number; failed?: number; ready?: number; terminating?: number; startTime?: string; completionTime?: string; conditions?: Cond[]; uncountedTerminatedPods?: object };
}
interface PodObj extends KubeObject {
  metadata: KubeObject['metadata'] & { finalizers?: string[]; ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[] };
  status?: { phase?: string };
}

let ns: string;
let runner: { stop(): void };
beforeAll(async () => { ns = await createNamespace('e2e-job'); runner = podRunner.start(ns); });
afterAll(() => runner.stop());

const getJob = (name: string): Promise<JobObj> => ok<JobObj>('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
const condTypes = (j: JobObj): string[] => (j.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);

test('completions 4, parallelism 2: 4 succeeded pods, never more than 2 active, Complete', async () => {
  const list = await ok<List<PodObj>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3Dwork`);
  const watch = new Watch(`/api/v1/namespaces/${ns}/pods?watch=true&labelSelector=job-name%3Dwork&resourceVersion=${list.metadata.resourceVersion}`);
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: `apiVersion: batch/v1
kind: Job
metadata: {name: work}
spec:
  completions: 4
  parallelism: 2
  template:
    metadata: {annotations: {${exitCodeAnnotation}: "0"}}
    spec: {schedulerName: ${unscheduledSchedulerName}, restartPolicy: Never, containers: [{name: main, image: busybox}]}
` });
  const job = await waitFor('Complete', async () => { const j = await getJob('work'); return condTypes(j).includes('Complete') && j; }, 60_000);
  watch.close();
  const pods = new Map<string, PodObj>();
  let maxActive = 0;
  const succeeded = new Set<string>();
  for (const e of watch.events) {
    const p = e.object as PodObj;
    if (e.type === 'DELETED') pods.delete(p.metadata.name); else pods.set(p.metadata.name, p);
    if (p.status?.phase === 'Succeeded') succeeded.add(p.metadata.name);
    const active = [...pods.values()].filter((x) => !x.metadata.deletionTimestamp && x.status?.phase !== 'Succeeded' && x.status?.phase !== 'Failed');
    maxActive = Math.max(maxActive, active.length);
  }
  expect(maxActive).toBe(2);
  expect(succeeded.size).toBe(4);

  expect(job.status).toMatchObject({ succeeded: 4, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
  expect(job.status?.active).toBeUndefined();
  expect(job.status?.failed).toBeUndefined();
  expect(Date.parse(job.status!.completionTime!)).toBeGreaterThanOrEqual(Date.parse(job.status!.startTime!));
  expect(job.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
    ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
  ]);
  // Every pod was counted, so the tracking finalizer is gone from all of them.
  const left = (await ok<List<PodObj>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3Dwork`)).items;
  expect(left).toHaveLength(4);
  for (const p of left) {
    expect(p.metadata.name).toMatch(/^work-[a-z0-9]{5}$/);
    expect(p.metadata.finalizers ?? []).toEqual([]);
    expect(p.metadata.labels).toMatchObject({ 'job-name': 'work', 'batch.kubernetes.io/job-name': 'work', 'controller-uid': job.metadata.uid, 'batch.kubernetes.io/controller-uid': job.metadata.uid });
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  const events = await waitFor('Completed event', async () => {
    const ev = (await ok<List<KubeObject & { reason: string; message: string; source?: { component?: string }; involvedObject: { name: string } }>>('GET', `/api/v1/namespaces/${ns}/events`)).items
      .filter((e) => e.involvedObject.name === 'work');
    return ev.some((e) => e.reason === 'Completed') && ev;
  });
  expect(events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort()).toEqual(left.map((p) => `Created pod: ${p.metadata.name}`).sort());
  expect(events.find((e) => e.reason === 'Completed')).toMatchObject({ message: 'Job completed', source: { component: 'job-controller' } });

  const rows = table(await kubectlOk(['get', 'jobs', '-n', ns]));
  expect(rows[0]).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
  expect(rows[1].slice(0, 3)).toEqual(['work', 'Complete', '4/4']);
});

test('kubectl create job runs busybox `exit 0` for real on the node and completes', async () => {
  expect(await kubectlOk(['create', 'job', 'real', '-n', ns, '--image=busybox', '--', 'sh', '-c', 'exit 0'])).toBe('job.batch/real created\n');
  await kubectlOk(['wait', '-n', ns, '--for=condition=complete', 'job/real', '--timeout=90s'], { timeoutMs: 100_000 });
  const job = await getJob('real');
  expect(job.status).toMatchObject({ succeeded: 1 });
  const pods = (await ok<List<PodObj & { spec: { nodeName?: string } }>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3Dreal`)).items;
  expect(pods).toHaveLength(1);
  expect(pods[0].status?.phase).toBe('Succeeded');
  expect(pods[0].spec.nodeName).toBeTruthy();
  const rows = table(await kubectlOk(['get', 'job', 'real', '-n', ns]));
  expect(rows[1].slice(0, 3)).toEqual(['real', 'Complete', '1/1']);
}, 120_000);
