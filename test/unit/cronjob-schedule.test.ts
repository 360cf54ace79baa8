// CronJob scheduling with an injected clock: the next run, the most recent unmet run and the missed
// count, startingDeadlineSeconds, time zones, descriptors, Job names and the scheduled-timestamp
// annotation, and which finished Jobs the history limits delete.
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import { jobForRun, jobsBeyondHistory, scheduledTimestampAnnotation } from '../../src/controllers/cronjob/cronjob-controller';
import { jobNameFor, mostRecentScheduleTime, rfc3339InZone, Schedule, scheduleDecision } from '../../src/controllers/cronjob/schedule-times';

const t = (s: string): number => Date.parse(s);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function cronJob(spec: Partial<NonNullable<CronJob['spec']>>, created: string, lastScheduleTime?: string): CronJob {
  return {
    metadata: { name: 'tick', namespace: 'ns', uid: 'cj-uid', creationTimestamp: created },
    spec: { schedule: '*/1 * * * *', jobTemplate: { metadata: { labels: { app: 'tick' }, annotations: { note: 'x' } }, spec: { template: { spec: { containers: [] } } } }, ...spec },
    status: lastScheduleTime ? { lastScheduleTime } : {},
  };
}

describe('Schedule', () => {
  it('evaluates five-field schedules and descriptors in UTC or a named zone', () => {
    expect(iso(Schedule.parse('*/1 * * * *', 'UTC').next(t('2024-01-01T00:00:30Z')))).toBe('2024-01-01T00:01:00.000Z');
    expect(iso(Schedule.parse('*/15 * * * *', 'UTC').next(t('2024-01-01T00:15:00Z')))).toBe('2024-01-01T00:30:00.000Z');
    expect(iso(Schedule.parse('@hourly', 'UTC').next(t('2024-01-01T10:20:00Z')))).toBe('2024-01-01T11:00:00.000Z');
    expect(iso(Schedule.parse('@midnight', 'UTC').next(t('2024-01-01T10:20:00Z')))).toBe('2024-01-02T00:00:00.000Z');
    expect(iso(Schedule.parse('@weekly', 'UTC').next(t('2024-01-01T10:20:00Z')))).toBe('2024-01-07T00:00:00.000Z');
    // 09:00 in Tokyo is midnight UTC; 00:00 in New York is 05:00 UTC in winter and 04:00 in summer.
    expect(iso(Schedule.parse('0 9 * * *', 'Asia/Tokyo').next(t('2024-01-01T10:00:00Z')))).toBe('2024-01-02T00:00:00.000Z');
    expect(iso(Schedule.parse('0 0 * * *', 'America/New_York').next(t('2024-01-10T12:00:00Z')))).toBe('2024-01-11T05:00:00.000Z');
    expect(iso(Schedule.parse('0 0 * * *', 'America/New_York').next(t('2024-07-10T12:00:00Z')))).toBe('2024-07-11T04:00:00.000Z');
    expect(iso(Schedule.parse('30 2 * * 1-5', 'UTC').prev(t('2024-01-06T12:00:00Z')))).toBe('2024-01-05T02:30:00.000Z');
  });

  it('counts the runs missed since the earliest time and returns the latest', () => {
    const s = Schedule.parse('*/1 * * * *', 'UTC');
    expect(mostRecentScheduleTime(s, t('2024-01-01T00:00:30Z'), t('2024-01-01T00:00:59Z'))).toEqual({ missed: 0 });
    const r = mostRecentScheduleTime(s, t('2024-01-01T00:00:30Z'), t('2024-01-01T00:03:10Z'));
    expect([iso(r.time), r.missed]).toEqual(['2024-01-01T00:03:00.000Z', 3]);
    const many = mostRecentScheduleTime(s, t('2024-01-01T00:00:00Z'), t('2024-01-02T00:00:10Z'));
    expect(iso(many.time)).toBe('2024-01-02T00:00:00.000Z');
    expect(many.missed).toBeGreaterThan(100);
  });
});

describe('scheduleDecision', () => {
  const s = Schedule.parse('*/1 * * * *', 'UTC');
  it('waits until the first minute after creation, then runs it', () => {
    const cj = cronJob({}, '2024-01-01T00:00:30Z');
    expect(scheduleDecision(cj, s, t('2024-01-01T00:00:50Z'))).toEqual({ kind: 'wait', requeueAt: t('2024-01-01T00:01:00Z') });
    expect(scheduleDecision(cj, s, t('2024-01-01T00:01:00.200Z'))).toEqual({ kind: 'run', scheduledTime: t('2024-01-01T00:01:00Z'), missed: 1, requeueAt: t('2024-01-01T00:02:00Z') });
  });
  it('counts from lastScheduleTime, so a run is started once', () => {
    const cj = cronJob({}, '2024-01-01T00:00:30Z', '2024-01-01T00:01:00Z');
    expect(scheduleDecision(cj, s, t('2024-01-01T00:01:30Z')).kind).toBe('wait');
  });
  it('skips a run older than startingDeadlineSeconds, and looks back no further than that', () => {
    const late = cronJob({ startingDeadlineSeconds: 10 }, '2024-01-01T00:00:30Z', '2024-01-01T00:01:00Z');
    // The run at 00:02 is 20 s old: past the 10 s deadline.
    expect(scheduleDecision(late, Schedule.parse('*/2 * * * *', 'UTC'), t('2024-01-01T00:02:20Z')))
      .toEqual({ kind: 'wait', requeueAt: t('2024-01-01T00:04:00Z') });
    const inTime = cronJob({ startingDeadlineSeconds: 30 }, '2024-01-01T00:00:30Z', '2024-01-01T00:01:00Z');
    expect(scheduleDecision(inTime, Schedule.parse('*/2 * * * *', 'UTC'), t('2024-01-01T00:02:20Z')))
      .toMatchObject({ kind: 'run', scheduledTime: t('2024-01-01T00:02:00Z') });
  });
});

describe('Jobs of a CronJob', () => {
  it('are named <cronjob>-<minutes since the epoch> and carry the scheduled time in the CronJob zone', () => {
    expect(jobNameFor('tick', t('2024-01-01T00:01:00Z'))).toBe('tick-28401121');
    const job = jobForRun(cronJob({ timeZone: 'America/New_York' }, '2024-01-01T00:00:00Z'), t('2024-01-01T00:01:00Z'));
    expect(job.metadata).toEqual({
      name: 'tick-28401121', namespace: 'ns', labels: { app: 'tick' },
      annotations: { note: 'x', [scheduledTimestampAnnotation]: '2023-12-31T19:01:00-05:00' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(rfc3339InZone(t('2024-01-01T00:01:00Z'))).toBe('2024-01-01T00:01:00Z');
    expect(rfc3339InZone(t('2024-07-01T00:01:00Z'), 'Asia/Kolkata')).toBe('2024-07-01T05:31:00+05:30');
  });

  it('beyond the history limits are the oldest finished ones of each kind', () => {
    const job = (name: string, start: string, type: string): Job => ({
      metadata: { name }, status: { startTime: start, conditions: [{ type, status: 'True' }] },
    });
    const jobs = [
      job('a', '2024-01-01T00:01:00Z', 'Complete'), job('b', '2024-01-01T00:02:00Z', 'Complete'),
      job('c', '2024-01-01T00:03:00Z', 'Failed'), job('d', '2024-01-01T00:04:00Z', 'Complete'), job('e', '2024-01-01T00:05:00Z', 'Failed'),
    ];
    const cj = cronJob({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }, '2024-01-01T00:00:00Z');
    expect(jobsBeyondHistory(cj, jobs).map((j) => j.metadata?.name)).toEqual(['a', 'c']);
    const none = cronJob({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 }, '2024-01-01T00:00:00Z');
    expect(jobsBeyondHistory(none, jobs).map((j) => j.metadata?.name).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
