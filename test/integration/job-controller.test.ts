// The Job and TTL-after-finished controllers in the suite's controller-manager against the real
// apiserver, with the stand-in kubelet ending pods with chosen exit codes: backoffLimit with the pod
// failure back-off, podFailurePolicy FailJob and Ignore, activeDeadlineSeconds, suspend and resume,
// Indexed completion, adoption of a matching orphan, and deletion ttlSecondsAfterFinished after the end.
import { kubectlOk, waitFor } from '../e2e/kubectl';
import { createNamespace, ok, request, unscheduledSchedulerName, type KubeObject, type List } from './http';
import { exitCodeAnnotation, podRunner, runMsAnnotation } from './pod-status-stand-in';

interface Cond { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }
interface JobObj extends KubeObject {
  status?: { active?: number; succeeded?: number; failed?: number; ready?: number; terminating?: number; startTime?: string; completionTime?: string; completedIndexes?: string; conditions?: Cond[] };
}
interface PodObj extends KubeObject {
  metadata: KubeObject['metadata'] & { annotations?: Record<string, string>; finalizers?: string[]; creationTimestamp?: string; ownerReferences?: { kind: string; uid: string; controller?: boolean }[] };
  spec: { hostname?: string; containers: { env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] }[] };
  status?: { phase?: string };
}

let ns: string;
let runner: { stop(): void };
beforeAll(async () => { ns = await createNamespace('it-job'); runner = podRunner.start(ns); });
afterAll(() => runner.stop());

function jobYaml(name: string, spec: string, podAnnotations: Record<string, string> = {}): string {
  return `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec.split('\n').filter(Boolean).map((l) => `  ${l}`).join('\n')}
  template:
    metadata: {annotations: ${JSON.stringify(podAnnotations)}}
    spec: {schedulerName: ${unscheduledSchedulerName}, restartPolicy: Never, containers: [{name: main, image: busybox}]}
`;
}

const getJob = (name: string): Promise<JobObj> => ok<JobObj>('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
const podsOf = async (name: string): Promise<PodObj[]> =>
  (await ok<List<PodObj>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=batch.kubernetes.io%2Fjob-name%3D${name}`)).items;
const trueConds = (j: JobObj): Cond[] => (j.status?.conditions ?? []).filter((c) => c.status === 'True');
const finished = async (name: string, type: 'Complete' | 'Failed', timeoutMs = 30_000): Promise<JobObj> =>
  waitFor(`${name} ${type}`, async () => { const j = await getJob(name); return trueConds(j).some((c) => c.type === type) && j; }, timeoutMs);

test('backoffLimit 1: a failed pod is replaced after the 10 s back-off; the second failure fails the Job', async () => {
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: jobYaml('flaky', 'backoffLimit: 1', { [exitCodeAnnotation]: '1' }) });
  const job = await finished('flaky', 'Failed', 45_000);
  expect(job.status).toMatchObject({ failed: 2, ready: 0, terminating: 0 });
  expect(job.status?.succeeded).toBeUndefined();
  expect(trueConds(job).map((c) => [c.type, c.reason, c.message])).toEqual([
    ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
  ]);
  const pods = (await podsOf('flaky')).sort((a, b) => Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!));
  expect(pods.map((p) => p.status?.phase)).toEqual(['Failed', 'Failed']);
  const gap = Date.parse(pods[1].metadata.creationTimestamp!) - Date.parse(pods[0].metadata.creationTimestamp!);
  expect(gap).toBeGreaterThanOrEqual(10_000);
  const ev = (await ok<List<KubeObject & { reason: string; message: string; type: string; involvedObject: { name: string } }>>('GET', `/api/v1/namespaces/${ns}/events`)).items;
  expect(ev.find((e) => e.involvedObject.name === 'flaky' && e.reason === 'BackoffLimitExceeded')).toMatchObject({ type: 'Warning', message: 'Job has reached the specified backoff limit' });
  expect((await kubectlOk(['get', 'job', 'flaky', '-n', ns, '--no-headers'])).split(/\s+/).slice(0, 3)).toEqual(['flaky', 'Failed', '0/1']);
}, 60_000);

test('podFailurePolicy: exit code 42 matches FailJob and fails the Job at once; an Ignore match is not counted', async () => {
  const policy = `backoffLimit: 0
podFailurePolicy:
  rules:
  - {action: FailJob, onExitCodes: {operator: In, values: [42]}}
  - {action: Ignore, onExitCodes: {operator: In, values: [3]}}`;
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: jobYaml('fatal', policy, { [exitCodeAnnotation]: '42' }) });
  const job = await finished('fatal', 'Failed');
  const [pod] = await podsOf('fatal');
  const message = `Container main for pod ${ns}/${pod.metadata.name} failed with exit code 42 matching FailJob rule at index 0`;
  expect(trueConds(job).map((c) => [c.type, c.reason, c.message])).toEqual([['FailureTarget', 'PodFailurePolicy', message], ['Failed', 'PodFailurePolicy', message]]);
  expect(job.status?.failed).toBe(1);

  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: jobYaml('ignored', policy, { [exitCodeAnnotation]: '3' }) });
  // backoffLimit 0 would fail the Job on the first counted failure: the ignored one is replaced instead.
  await waitFor('a failed pod and its replacement', async () => {
    const ps = await podsOf('ignored');
    return ps.length >= 2 && ps.some((p) => p.status?.phase === 'Failed') && ps;
  }, 30_000);
  const j = await getJob('ignored');
  expect(j.status?.failed).toBeUndefined();
  expect(trueConds(j)).toEqual([]);
  await kubectlOk(['delete', 'job', 'ignored', '-n', ns, '--wait=false']);
}, 60_000);

test('activeDeadlineSeconds: running pods are deleted and the Job fails with DeadlineExceeded', async () => {
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: jobYaml('slow', 'activeDeadlineSeconds: 2\nparallelism: 2\ncompletions: 2') });
  await waitFor('2 pods', async () => (await podsOf('slow')).length === 2);
  const job = await finished('slow', 'Failed', 20_000);
  expect(trueConds(job).map((c) => [c.type, c.reason, c.message])).toEqual([
    ['FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
    ['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
  ]);
  expect(job.status).toMatchObject({ failed: 2, terminating: 0 });
  expect(job.status?.active).toBeUndefined();
  expect(Date.parse(job.status!.conditions![1].lastTransitionTime!) - Date.parse(job.status!.startTime!)).toBeGreaterThanOrEqual(2000);
  await waitFor('pods gone', async () => (await podsOf('slow')).length === 0);
});

test('suspend: no pods and Suspended=True; resuming creates them and sets Suspended=False', async () => {
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: jobYaml('later', 'suspend: true', { [exitCodeAnnotation]: '0', [runMsAnnotation]: '1500' }) });
  const suspended = await waitFor('Suspended', async () => { const j = await getJob('later'); return trueConds(j).some((c) => c.type === 'Suspended') && j; });
  expect(suspended.status?.conditions).toEqual([expect.objectContaining({ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' })]);
  expect(suspended.status?.startTime).toBeUndefined();
  expect(await podsOf('later')).toEqual([]);
  expect((await kubectlOk(['get', 'job', 'later', '-n', ns, '--no-headers'])).split(/\s+/)[1]).toBe('Suspended');
  await kubectlOk(['patch', 'job', 'later', '-n', ns, '-p', '{"spec":{"suspend":false}}']);
  const running = await waitFor('resumed with a pod', async () => {
    const j = await getJob('later');
    return j.status?.active === 1 && j;
  });
  expect(running.status?.conditions).toEqual([expect.objectContaining({ type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' })]);
  expect(running.status?.startTime).toBeDefined();
  // Suspending a running Job deletes its pods without counting them as failures.
  await kubectlOk(['patch', 'job', 'later', '-n', ns, '-p', '{"spec":{"suspend":true}}']);
  const again = await waitFor('suspended again', async () => {
    const j = await getJob('later');
    return trueConds(j).some((c) => c.type === 'Suspended') && !j.status?.active && (await podsOf('later')).length === 0 && j;
  });
  expect(again.status?.failed).toBeUndefined();
  await kubectlOk(['patch', 'job', 'later', '-n', ns, '-p', '{"spec":{"suspend":false}}']);
  await finished('later', 'Complete');
});

test('Indexed: pods <job>-<index>-<5>, with the index annotation, label, hostname and env; completedIndexes', async () => {
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: jobYaml('idx', 'completionMode: Indexed\ncompletions: 3\nparallelism: 3', { [exitCodeAnnotation]: '0' }) });
  const job = await finished('idx', 'Complete');
  expect(job.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
  const pods = (await podsOf('idx')).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  expect(pods).toHaveLength(3);
  pods.forEach((p, i) => {
    expect(p.metadata.name).toMatch(new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
    expect(p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).toBe(String(i));
    expect(p.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe(String(i));
    expect(p.spec.hostname).toBe(`idx-${i}`);
    expect(p.spec.containers[0].env).toEqual([{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
  });
});

test('adopts a running orphan that its manual selector matches, instead of creating a pod', async () => {
  const r = await request('POST', `/api/v1/namespaces/${ns}/pods`, { body: {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'adopt' }, annotations: { [exitCodeAnnotation]: '0', [runMsAnnotation]: '2000' } },
    spec: { schedulerName: unscheduledSchedulerName, restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
  } });
  expect(r.status).toBe(201);
  await waitFor('stray running', async () => (await ok<PodObj>('GET', `/api/v1/namespaces/${ns}/pods/stray`)).status?.phase === 'Running');
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: `apiVersion: batch/v1
kind: Job
metadata: {name: adopt}
spec:
  manualSelector: true
  selector: {matchLabels: {app: adopt}}
  template:
    metadata: {labels: {app: adopt}}
    spec: {schedulerName: ${unscheduledSchedulerName}, restartPolicy: Never, containers: [{name: main, image: busybox}]}
` });
  const job = await finished('adopt', 'Complete');
  const pods = (await ok<List<PodObj>>('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dadopt`)).items;
  expect(pods.map((p) => p.metadata.name)).toEqual(['stray']);
  expect(pods[0].metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', uid: job.metadata.uid, controller: true })]);
  expect(pods[0].metadata.finalizers ?? []).toEqual([]);
  expect(job.status?.succeeded).toBe(1);
});

test('ttlSecondsAfterFinished: the Job and its pods are deleted that long after it completes', async () => {
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: jobYaml('brief', 'ttlSecondsAfterFinished: 2', { [exitCodeAnnotation]: '0' }) });
  const job = await finished('brief', 'Complete');
  const doneAt = Date.parse(job.status!.completionTime!);
  await waitFor('job deleted', async () => (await request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/brief`)).status === 404, 20_000);
  expect(Date.now() - doneAt).toBeGreaterThanOrEqual(2000);
  await waitFor('its pod deleted', async () => (await podsOf('brief')).length === 0);
});
