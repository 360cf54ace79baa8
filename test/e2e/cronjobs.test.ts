// CronJobs end to end with the suite's controller-manager: a `*/1 * * * *` CronJob made at the start of
// this file creates its Job at the next real minute boundary (checked last, so the wait overlaps the other
// tests); runs made due by moving status.lastScheduleTime back (a schedule whose last run was minutes
// ago) show the Job's name, annotation and ownership, Forbid, Replace, suspend and the history limit.
import { createNamespace, kubectlOk, table, waitFor } from './kubectl';
import { ok, request, unscheduledSchedulerName, type KubeObject, type List } from '../integration/http';
import { exitCodeAnnotation, podRunner } from '../integration/pod-status-stand-in';

interface Ref { name: string; uid: string; kind?: string; apiVersion?: string; namespace?: string }
interface CronJobObj extends KubeObject { status?: { active?: Ref[]; lastScheduleTime?: string; lastSuccessfulTime?: string } }
interface JobObj extends KubeObject {
  metadata: KubeObject['metadata'] & { annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[] };
  status?: { conditions?: { type: string; status: string }[] };
}
interface EventObj extends KubeObject { reason: string; message: string; involvedObject: { name: string } }

let ns: string;
let runner: { stop(): void };
const createdAt = Date.now();

function cronJobYaml(name: string, schedule: string, opts: { policy?: string; suspend?: boolean; exit?: boolean; successLimit?: number } = {}): string {
  const annotations = opts.exit === false ? '{}' : `{${exitCodeAnnotation}: "0"}`;
  return `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}}
spec:
  schedule: "${schedule}"
  concurrencyPolicy: ${opts.policy ?? 'Allow'}
  suspend: ${opts.suspend ?? false}
  successfulJobsHistoryLimit: ${opts.successLimit ?? 3}
  jobTemplate:
    metadata: {labels: {cron: ${name}}}
    spec:
      template:
        metadata: {annotations: ${annotations}}
        spec: {schedulerName: ${unscheduledSchedulerName}, restartPolicy: Never, containers: [{name: main, image: busybox}]}
`;
}

beforeAll(async () => {
  ns = await createNamespace('e2e-cron');
  runner = podRunner.start(ns);
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: cronJobYaml('every-minute', '*/1 * * * *') });
});
afterAll(() => runner.stop());

const getCJ = (name: string): Promise<CronJobObj> => ok<CronJobObj>('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`);
const jobsOf = async (cj: CronJobObj): Promise<JobObj[]> => (await ok<List<JobObj>>('GET', `/apis/batch/v1/namespaces/${ns}/jobs`)).items
  .filter((j) => j.metadata.ownerReferences?.some((r) => r.uid === cj.metadata.uid && r.controller));
const events = async (name: string): Promise<EventObj[]> => (await ok<List<EventObj>>('GET', `/api/v1/namespaces/${ns}/events`)).items
  .filter((e) => e.involvedObject.name === name);

/** A schedule whose last run was two minutes ago and whose next is an hour away. */
function pastMinuteSchedule(): { schedule: string; lastRun: number } {
  const now = new Date();
  const lastRun = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes() - 2);
  return { schedule: `${new Date(lastRun).getUTCMinutes()} * * * *`, lastRun };
}

/** Makes the CronJob's last run due: its lastScheduleTime moves back before it. */
async function makeRunDue(name: string): Promise<void> {
  const past = new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await ok('PATCH', `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}/status`,
    { body: { status: { lastScheduleTime: past } }, contentType: 'application/merge-patch+json' });
}

/** A Job the CronJob owns and lists as active, as an earlier run would have left it (its pod never ends). */
async function activeJob(cj: CronJobObj, jobName: string): Promise<JobObj> {
  const job = await ok<JobObj>('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, { body: {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: jobName, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }] },
    spec: { template: { spec: { schedulerName: unscheduledSchedulerName, restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
  } });
  const ref = { apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: jobName, uid: job.metadata.uid };
  await ok('PATCH', `/apis/batch/v1/namespaces/${ns}/cronjobs/${cj.metadata.name}/status`,
    { body: { status: { active: [ref] } }, contentType: 'application/merge-patch+json' });
  return job;
}

test('a due run creates <cronjob>-<minutes> with the scheduled-timestamp annotation; its completion is recorded', async () => {
  const { schedule, lastRun } = pastMinuteSchedule();
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: cronJobYaml('due', schedule) });
  const cj = await getCJ('due');
  await makeRunDue('due');
  const jobName = `due-${Math.floor(lastRun / 60_000)}`;
  const job = await waitFor('the due Job', async () => (await jobsOf(cj)).find((j) => j.metadata.name === jobName));
  expect(job.metadata.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': new Date(lastRun).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  expect(job.metadata.labels).toMatchObject({ cron: 'due' });
  expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'due', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  const done = await waitFor('Job done, active cleared, lastSuccessfulTime', async () => {
    const c = await getCJ('due');
    return !c.status?.active && c.status?.lastSuccessfulTime ? c : undefined;
  }, 30_000);
  expect(done.status?.lastScheduleTime).toBe(new Date(lastRun).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const ev = await events('due');
  expect(ev.map((e) => `${e.reason}: ${e.message}`)).toEqual(expect.arrayContaining([
    `SuccessfulCreate: Created job ${jobName}`, `SawCompletedJob: Saw completed job: ${jobName}, condition: Complete`,
  ]));
  const rows = table(await kubectlOk(['get', 'cronjobs', '-n', ns, 'due']));
  expect(rows[0]).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
  expect(rows[1].slice(0, 5)).toEqual(['due', schedule, '<none>', 'False', '0']);
});

test('Forbid starts nothing while a run is active; Replace deletes the active Job and starts the new one', async () => {
  const { schedule, lastRun } = pastMinuteSchedule();
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: cronJobYaml('forbid', schedule, { policy: 'Forbid', exit: false }) });
  const forbid = await getCJ('forbid');
  await activeJob(forbid, 'forbid-old');
  await makeRunDue('forbid');
  await waitFor('JobAlreadyActive', async () => (await events('forbid')).some((e) => e.reason === 'JobAlreadyActive'
    && e.message === 'Not starting job because prior execution is running and concurrency policy is Forbid'));
  expect((await jobsOf(forbid)).map((j) => j.metadata.name)).toEqual(['forbid-old']);

  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: cronJobYaml('replace', schedule, { policy: 'Replace', exit: false }) });
  const replace = await getCJ('replace');
  const old = await activeJob(replace, 'replace-old');
  await makeRunDue('replace');
  const jobName = `replace-${Math.floor(lastRun / 60_000)}`;
  const active = await waitFor('the new run active, the old one gone', async () => {
    const c = await getCJ('replace');
    const names = (await jobsOf(replace)).filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name);
    return c.status?.active?.length === 1 && c.status.active[0].name === jobName && names.length === 1 && names[0] === jobName && c.status.active;
  });
  expect(active[0].uid).not.toBe(old.metadata.uid);
  expect((await events('replace')).map((e) => `${e.reason}: ${e.message}`)).toContain('SuccessfulDelete: Deleted job replace-old');
});

test('a suspended CronJob starts nothing until it is resumed; the history limit deletes older finished Jobs', async () => {
  const { schedule, lastRun } = pastMinuteSchedule();
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: cronJobYaml('paused', schedule, { suspend: true, successLimit: 0 }) });
  const cj = await getCJ('paused');
  await makeRunDue('paused');
  // The controller has seen the status change once lastScheduleTime is back: still no Job after that.
  await new Promise((r) => setTimeout(r, 3000));
  expect(await jobsOf(cj)).toEqual([]);
  expect(table(await kubectlOk(['get', 'cj', 'paused', '-n', ns]))[1][3]).toBe('True');
  await kubectlOk(['patch', 'cronjob', 'paused', '-n', ns, '-p', '{"spec":{"suspend":false}}']);
  const jobName = `paused-${Math.floor(lastRun / 60_000)}`;
  await waitFor('the run after resume', async () => (await jobsOf(cj)).some((j) => j.metadata.name === jobName));
  // successfulJobsHistoryLimit 0: once complete, the Job is deleted.
  await waitFor('the finished Job deleted', async () => {
    const c = await getCJ('paused');
    return c.status?.lastSuccessfulTime && (await jobsOf(cj)).every((j) => j.metadata.deletionTimestamp);
  }, 30_000);
  expect((await events('paused')).map((e) => `${e.reason}: ${e.message}`)).toContain(`SuccessfulDelete: Deleted job ${jobName}`);
});

test('`*/1 * * * *` creates a Job at the next minute boundary', async () => {
  const cj = await getCJ('every-minute');
  const boundary = Math.floor(createdAt / 60_000) + 1;
  const wait = Math.max(0, boundary * 60_000 - Date.now()) + 15_000;
  const job = await waitFor('the first run', async () => (await jobsOf(cj)).find((j) => j.metadata.name === `every-minute-${boundary}`), wait);
  expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(new Date(boundary * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const res = await request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs/every-minute`);
  expect(JSON.parse(res.body).status.lastScheduleTime).toBe(new Date(boundary * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
}, 90_000);
