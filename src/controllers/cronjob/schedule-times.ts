// CronJob schedule arithmetic on cron-parser (standard five fields and @descriptors, evaluated in
// spec.timeZone or the controller's local zone): the next run, the most recent unmet run with the count
// of missed ones, and the RFC 3339 rendering of a time in a zone for the scheduled-timestamp annotation.
import { CronExpressionParser } from 'cron-parser';
import type { CronJob } from 'kubernetes-types/batch/v1';

/** robfig/cron descriptors cron-parser spells differently. */
const aliases: Record<string, string> = { '@midnight': '@daily', '@annually': '@yearly' };

/** Beyond this many missed runs upstream warns (TooManyMissedTimes). */
export const maxMissedSchedules = 100;

export class Schedule {
  private constructor(private readonly expr: string, private readonly tz: string | undefined) {}

  /** Parses a schedule; throws with cron-parser's message when it cannot be evaluated. */
  static parse(schedule: string, timeZone?: string): Schedule {
    const expr = aliases[schedule.trim()] ?? schedule.trim();
    if (expr.startsWith('@every')) throw new Error('@every schedules are not supported');
    const s = new Schedule(expr, timeZone || undefined);
    s.iterator(0);
    return s;
  }

  private iterator(at: number) {
    return CronExpressionParser.parse(this.expr, { currentDate: new Date(at), ...(this.tz ? { tz: this.tz } : {}) });
  }

  /** The first run strictly after `after`, or undefined when there is none. */
  next(after: number): number | undefined {
    try { return this.iterator(after).next().getTime(); } catch { return undefined; }
  }

  /** The last run at or before `at`. */
  prev(at: number): number | undefined {
    try { return this.iterator(at + 1).prev().getTime(); } catch { return undefined; }
  }
}

/** The latest run in (earliest, now], and how many runs fell in that window (counted up to 101). */
export function mostRecentScheduleTime(s: Schedule, earliest: number, now: number): { time?: number; missed: number } {
  let t = s.next(earliest);
  if (t === undefined || t > now) return { missed: 0 };
  let missed = 0;
  let last = t;
  while (t !== undefined && t <= now && missed <= maxMissedSchedules) {
    last = t;
    missed++;
    t = s.next(t);
  }
  if (missed > maxMissedSchedules) last = s.prev(now) ?? last;
  return { time: last, missed };
}

export type ScheduleDecision =
  /** Nothing is due; look again at `requeueAt`. */
  | { kind: 'wait'; requeueAt?: number }
  /** The run at `scheduledTime` is past startingDeadlineSeconds: skip it. */
  | { kind: 'tooLate'; scheduledTime: number; requeueAt?: number }
  /** Start the run at `scheduledTime`. */
  | { kind: 'run'; scheduledTime: number; missed: number; requeueAt?: number };

/**
 * What a CronJob should do at `now`: runs are counted from the last scheduled one (or creation), and
 * with startingDeadlineSeconds no earlier than that many seconds ago.
 */
export function scheduleDecision(cj: CronJob, s: Schedule, now: number): ScheduleDecision {
  const last = cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp;
  let earliest = last ? Date.parse(last) : now;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) earliest = Math.max(earliest, now - deadline * 1000);
  const requeueAt = s.next(now);
  const { time, missed } = mostRecentScheduleTime(s, earliest, now);
  if (time === undefined) return { kind: 'wait', requeueAt };
  if (deadline !== undefined && deadline !== null && time + deadline * 1000 < now) return { kind: 'tooLate', scheduledTime: time, requeueAt };
  return { kind: 'run', scheduledTime: time, missed, requeueAt };
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function jobNameFor(cronJobName: string, scheduledTime: number): string {
  return `${cronJobName}-${Math.floor(scheduledTime / 60_000)}`;
}

/** Go's time.RFC3339 of an instant in a zone ("Z" for UTC, else the zone's offset then). */
export function rfc3339InZone(ms: number, timeZone?: string): string {
  const tz = timeZone || 'UTC';
  if (tz === 'UTC' || tz === 'Etc/UTC') return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, '') || 'Z';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
