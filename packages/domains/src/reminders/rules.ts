/**
 * Reminder schedules: pure occurrence computation.
 *
 * Non-CUSTOM frequencies are computed on local wall-clock time in the reminder's
 * timezone. Occurrence n is always derived from the anchor (startDate) directly,
 * never from the previous occurrence, so month-end clamping does not drift.
 *
 * DST handling when turning a local wall time back into an instant:
 * - a wall time that does not exist (spring forward gap) moves forward to the first
 *   valid instant, i.e. the transition itself (02:30 in New York on a spring-forward
 *   day becomes 03:00 EDT);
 * - an ambiguous wall time (fall back overlap) takes the first (earlier) instant.
 *
 * CUSTOM frequencies use cron-parser in the reminder's timezone, never before startDate.
 */
import { CronExpressionParser } from 'cron-parser';
import { formatInTimeZone, fromZonedTime, getTimezoneOffset } from 'date-fns-tz';

/** Instance statuses that end the obligation. */
export const TERMINAL_INSTANCE = ['COMPLETED', 'SKIPPED'] as const;
/** Open instances: every other status (ACKNOWLEDGED included). */
export const OPEN_INSTANCE = ['PENDING', 'NOTIFIED', 'ACKNOWLEDGED', 'ESCALATED', 'OVERDUE'] as const;
/** Open and not yet marked OVERDUE or ESCALATED: the statuses the overdue mark moves on from. */
export const DUE_INSTANCE = ['PENDING', 'NOTIFIED', 'ACKNOWLEDGED'] as const;

export const FREQUENCIES = [
  'ONCE',
  'DAILY',
  'WEEKLY',
  'BIWEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'SEMI_ANNUAL',
  'YEARLY',
  'CUSTOM',
] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface ScheduleSpec {
  frequency: Frequency;
  cronExpression?: string | null;
  /** IANA zone name. */
  timezone: string;
  /**
   * The first occurrence's instant. Its local wall-clock time in `timezone` is the
   * intended time of day; its local day-of-month is the anchor day.
   */
  startDate: Date;
  /** No occurrence after this instant. */
  endDate?: Date | null;
}

export interface ScheduleIssue {
  field: string;
  message: string;
}

/** Upper bound on occurrences returned by a single call (count / limit are clamped to it). */
export const MAX_OCCURRENCES = 10_000;
/** Upper bound on consecutive candidate steps that yield nothing (guards runaway loops). */
const MAX_IDLE_STEPS = 1_000;

const DAY_MS = 86_400_000;

type Step = { unit: 'day' | 'month'; size: number };

const STEPS: Record<Exclude<Frequency, 'ONCE' | 'CUSTOM'>, Step> = {
  DAILY: { unit: 'day', size: 1 },
  WEEKLY: { unit: 'day', size: 7 },
  BIWEEKLY: { unit: 'day', size: 14 },
  MONTHLY: { unit: 'month', size: 1 },
  QUARTERLY: { unit: 'month', size: 3 },
  SEMI_ANNUAL: { unit: 'month', size: 6 },
  YEARLY: { unit: 'month', size: 12 },
};

/**
 * "Today" and "this week" as instants, in a person's time zone: today runs from local
 * midnight to the next local midnight (23 or 25 hours on a DST change), and the week
 * ends at the start of next Monday. An unknown zone counts as UTC.
 */
export function localDayWindow(
  now: Date,
  timezone: string,
): { todayStart: Date; todayEnd: Date; weekEnd: Date } {
  const tz = isValidTimezone(timezone) ? timezone : 'UTC';
  const [y, m, d] = formatInTimeZone(now, tz, 'yyyy-MM-dd').split('-').map(Number) as [
    number,
    number,
    number,
  ];
  const isoWeekday = Number(formatInTimeZone(now, tz, 'i')); // Monday 1 .. Sunday 7
  // Calendar arithmetic on the local date (UTC fields only carry the y-m-d), then back to an instant.
  const midnight = (days: number) => {
    const day = new Date(Date.UTC(y, m - 1, d + days));
    return fromZonedTime(`${day.toISOString().slice(0, 10)}T00:00:00`, tz);
  };
  return { todayStart: midnight(0), todayEnd: midnight(1), weekEnd: midnight(8 - isoWeekday) };
}

/** True when `timezone` is an IANA zone name the runtime knows (offset strings are rejected). */
export function isValidTimezone(timezone: string): boolean {
  if (typeof timezone !== 'string' || timezone.trim() === '' || /^[+-]/.test(timezone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    return false;
  }
  return Number.isFinite(getTimezoneOffset(timezone, new Date(0)));
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && Number.isFinite(value.getTime());
}

function hasCron(spec: ScheduleSpec): boolean {
  return typeof spec.cronExpression === 'string' && spec.cronExpression.trim() !== '';
}

function cronProblem(expression: string, timezone: string, from: Date): string | null {
  try {
    const parsed = CronExpressionParser.parse(expression, { tz: timezone, currentDate: from });
    try {
      parsed.next();
    } catch {
      return 'cron expression never fires';
    }
    return null;
  } catch (error) {
    return `invalid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Validation issues for a schedule; an empty list means the schedule is valid. */
export function validateSchedule(spec: ScheduleSpec): ScheduleIssue[] {
  const issues: ScheduleIssue[] = [];
  const knownFrequency = (FREQUENCIES as readonly string[]).includes(spec.frequency);
  if (!knownFrequency)
    issues.push({ field: 'frequency', message: `unknown frequency ${String(spec.frequency)}` });
  const tzValid = isValidTimezone(spec.timezone);
  if (!tzValid) issues.push({ field: 'timezone', message: `unknown IANA timezone ${String(spec.timezone)}` });
  const startValid = isValidDate(spec.startDate);
  if (!startValid) issues.push({ field: 'start_date', message: 'start_date must be a valid instant' });
  if (spec.endDate !== undefined && spec.endDate !== null) {
    if (!isValidDate(spec.endDate)) {
      issues.push({ field: 'end_date', message: 'end_date must be a valid instant' });
    } else if (startValid && spec.endDate.getTime() < spec.startDate.getTime()) {
      issues.push({ field: 'end_date', message: 'end_date must not be before start_date' });
    }
  }
  if (spec.frequency === 'CUSTOM') {
    if (!hasCron(spec)) {
      issues.push({ field: 'cron_expression', message: 'cron_expression is required for CUSTOM frequency' });
    } else {
      const from = startValid ? new Date(spec.startDate.getTime() - 1) : new Date(0);
      const problem = cronProblem(spec.cronExpression as string, tzValid ? spec.timezone : 'UTC', from);
      if (problem) issues.push({ field: 'cron_expression', message: problem });
    }
  } else if (knownFrequency && hasCron(spec)) {
    issues.push({
      field: 'cron_expression',
      message: 'cron_expression is only allowed for CUSTOM frequency',
    });
  }
  return issues;
}

function assertComputable(spec: ScheduleSpec, ...instants: Date[]): void {
  if (!isValidTimezone(spec.timezone)) throw new RangeError(`unknown IANA timezone ${String(spec.timezone)}`);
  if (!isValidDate(spec.startDate)) throw new RangeError('startDate must be a valid instant');
  if (spec.endDate !== undefined && spec.endDate !== null && !isValidDate(spec.endDate)) {
    throw new RangeError('endDate must be a valid instant');
  }
  for (const instant of instants) if (!isValidDate(instant)) throw new RangeError('invalid instant');
  if (!(FREQUENCIES as readonly string[]).includes(spec.frequency)) {
    throw new RangeError(`unknown frequency ${String(spec.frequency)}`);
  }
  if (spec.frequency === 'CUSTOM' && !hasCron(spec))
    throw new RangeError('CUSTOM frequency needs a cron expression');
}

// ---- wall-clock helpers (a "wall" value is the local date-time encoded as UTC milliseconds) ----

const WALL_PATTERN = /^(-?\d+)-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;

/**
 * The local wall-clock time of `instant` in `timezone`, encoded as UTC milliseconds.
 * formatInTimeZone resolves the zone's offset for the exact instant (getTimezoneOffset and
 * fromZonedTime interpret their argument as a wall time and misplace instants next to a
 * transition, so they are not used here).
 */
function localWall(timezone: string, instant: number): number {
  const text = formatInTimeZone(new Date(instant), timezone, 'yyyy-MM-dd HH:mm:ss.SSS');
  const m = WALL_PATTERN.exec(text);
  if (!m) throw new RangeError(`cannot resolve local time in ${timezone}`);
  const [, y, mo, d, h, mi, sec, ms] = m.map(Number) as number[];
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, sec ?? 0, ms ?? 0);
}

function offsetAt(timezone: string, instant: number): number {
  return localWall(timezone, instant) - instant;
}

/**
 * The instant at which the local clock in `timezone` reads `wall`.
 * Ambiguous wall times resolve to the earlier instant; non-existent ones to the first
 * instant after the gap (the transition).
 */
export function wallTimeToInstant(wall: number, timezone: string): number {
  const offsets = new Set([
    offsetAt(timezone, wall - DAY_MS),
    offsetAt(timezone, wall),
    offsetAt(timezone, wall + DAY_MS),
  ]);
  const valid = [...offsets].map((o) => wall - o).filter((instant) => localWall(timezone, instant) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: local(lo) < wall <= local(hi); binary search for the first instant reaching wall.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  if (localWall(timezone, lo) >= wall || localWall(timezone, hi) < wall) return hi;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (localWall(timezone, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

interface Anchor {
  year: number;
  month: number;
  day: number;
  timeOfDay: number;
  wall: number;
}

function anchorOf(spec: ScheduleSpec): Anchor {
  const wall = localWall(spec.timezone, spec.startDate.getTime());
  const d = new Date(wall);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    timeOfDay: wall - midnight,
    wall,
  };
}

function wallForIndex(anchor: Anchor, step: Step, k: number): number {
  if (step.unit === 'day') {
    return Date.UTC(anchor.year, anchor.month, anchor.day + k * step.size) + anchor.timeOfDay;
  }
  const total = anchor.month + k * step.size;
  const year = anchor.year + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(anchor.day, daysInMonth(year, month));
  return Date.UTC(year, month, day) + anchor.timeOfDay;
}

/** Index of an occurrence a little before `afterMs`, so iteration need not start at the anchor. */
function firstIndexNear(spec: ScheduleSpec, anchor: Anchor, step: Step, afterMs: number): number {
  if (afterMs < spec.startDate.getTime()) return 0;
  const afterWall = localWall(spec.timezone, afterMs);
  if (step.unit === 'day') {
    return Math.max(0, Math.floor((afterWall - anchor.wall) / (step.size * DAY_MS)) - 1);
  }
  const a = new Date(afterWall);
  const months = (a.getUTCFullYear() - anchor.year) * 12 + (a.getUTCMonth() - anchor.month);
  return Math.max(0, Math.floor(months / step.size) - 1);
}

function* recurringOccurrences(
  spec: ScheduleSpec,
  step: Step,
  afterMs: number,
  endMs: number,
): Generator<number> {
  const anchor = anchorOf(spec);
  const startMs = spec.startDate.getTime();
  let idle = 0;
  for (let k = firstIndexNear(spec, anchor, step, afterMs); idle < MAX_IDLE_STEPS; k++) {
    const instant = k === 0 ? startMs : wallTimeToInstant(wallForIndex(anchor, step, k), spec.timezone);
    if (instant > endMs) return;
    if (instant > afterMs) {
      idle = 0;
      yield instant;
    } else {
      idle++;
    }
  }
}

function* cronOccurrences(spec: ScheduleSpec, afterMs: number, endMs: number): Generator<number> {
  const startMs = spec.startDate.getTime();
  const from = Math.max(afterMs, startMs - 1);
  let expression: ReturnType<typeof CronExpressionParser.parse>;
  try {
    expression = CronExpressionParser.parse((spec.cronExpression ?? '').trim(), {
      tz: spec.timezone,
      currentDate: new Date(from),
    });
  } catch (error) {
    throw new RangeError(
      `invalid cron expression: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let previous = Number.NEGATIVE_INFINITY;
  let idle = 0;
  while (idle < MAX_IDLE_STEPS) {
    let instant: number;
    try {
      instant = expression.next().toDate().getTime();
    } catch {
      return; // the expression has no further fire time
    }
    if (!Number.isFinite(instant) || instant > endMs) return;
    if (instant > afterMs && instant >= startMs && instant > previous) {
      idle = 0;
      previous = instant;
      yield instant;
    } else {
      idle++;
    }
  }
}

/** All occurrences strictly after `afterMs`, in increasing order, never after endDate. */
function occurrencesAfter(spec: ScheduleSpec, afterMs: number): Iterable<number> {
  const endMs = spec.endDate ? spec.endDate.getTime() : Number.POSITIVE_INFINITY;
  const startMs = spec.startDate.getTime();
  switch (spec.frequency) {
    case 'ONCE':
      return startMs > afterMs && startMs <= endMs ? [startMs] : [];
    case 'CUSTOM':
      return cronOccurrences(spec, afterMs, endMs);
    default:
      return recurringOccurrences(spec, STEPS[spec.frequency], afterMs, endMs);
  }
}

function clampCount(count: number): number {
  if (!Number.isFinite(count)) return count > 0 ? MAX_OCCURRENCES : 0;
  return Math.max(0, Math.min(Math.floor(count), MAX_OCCURRENCES));
}

/**
 * Up to `count` occurrences strictly after `after` (startDate itself is included when it is
 * after `after`). Throws RangeError when the schedule cannot be computed (unknown timezone,
 * CUSTOM without a cron expression or with one that does not parse, invalid instants).
 */
export function nextOccurrences(spec: ScheduleSpec, after: Date, count: number): Date[] {
  assertComputable(spec, after);
  const wanted = clampCount(count);
  const result: Date[] = [];
  if (wanted === 0) return result;
  for (const instant of occurrencesAfter(spec, after.getTime())) {
    result.push(new Date(instant));
    if (result.length >= wanted) break;
  }
  return result;
}

/** The first occurrence strictly after `after`, or null when the schedule has ended. */
export function nextOccurrence(spec: ScheduleSpec, after: Date): Date | null {
  return nextOccurrences(spec, after, 1)[0] ?? null;
}

/**
 * Occurrences in the half-open window [from, to), at most `limit` of them, for calendar
 * projections. Adjacent windows never return the same occurrence twice.
 */
export function occurrencesBetween(spec: ScheduleSpec, from: Date, to: Date, limit: number): Date[] {
  assertComputable(spec, from, to);
  const wanted = clampCount(limit);
  const result: Date[] = [];
  if (wanted === 0 || to.getTime() <= from.getTime()) return result;
  for (const instant of occurrencesAfter(spec, from.getTime() - 1)) {
    if (instant >= to.getTime()) break;
    result.push(new Date(instant));
    if (result.length >= wanted) break;
  }
  return result;
}
