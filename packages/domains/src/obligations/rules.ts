/**
 * Pure rules of the obligation engine. Every obligation (training assignment,
 * member certification, reminder instance, acknowledgement request, ticket) is a
 * row plus one durable workflow. The workflow loads an `ObligationState`
 * snapshot, asks `nextCheckpoint(state, now)` what to do, sleeps until the step's
 * time, performs it idempotently and records its key in `done`.
 *
 * No I/O and no clock here: this module is safe to import from workflow code.
 *
 * Step keys (stable for the same plan; see `stepKey`):
 * - `REMIND:<offset>` and `MARK_EXPIRING_SOON:<offset>` where `<offset>` is the
 *   canonical ISO-8601 duration before `dueAt` (`formatDurationMs`), e.g.
 *   `REMIND:P7D`, `REMIND:PT0S`, `MARK_EXPIRING_SOON:P30D`;
 * - `MARK_OVERDUE` and `EXPIRE` (no detail);
 * - `ESCALATE:<level>`, e.g. `ESCALATE:L2`.
 */
import { pattern as durationPattern, parse as parseDuration } from 'iso8601-duration';

export const OBLIGATION_KINDS = [
  'training_assignment',
  'member_certification',
  'reminder_instance',
  'acknowledgement_request',
  'ticket',
] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

/** Whether a status is in one of the status sets the domains' rules.ts define. */
export const oneOf = (set: readonly string[], status: string): boolean => set.includes(status);

export const LEVELS = ['L1', 'L2', 'L3', 'L4'] as const;
export type Level = (typeof LEVELS)[number];

export type Channel = 'email' | 'slack' | 'log';

export type Target =
  | { type: 'TEAM_LEAD' }
  | { type: 'MANAGER' }
  | { type: 'DIRECTOR' }
  | { type: 'VP_EXEC' }
  | { type: 'CXO' }
  | { type: 'MEMBERS'; ids: string[] }
  | { type: 'TEAM'; id: string };

/** As configured (JSON): after is an ISO-8601 duration like "PT24H" or "PT2S". */
export interface LadderLevelConfig {
  level: Level;
  after: string;
  target: Target;
  channels: Channel[];
}

/** Resolved for the engine: after in milliseconds. */
export interface LadderLevel {
  level: Level;
  afterMs: number;
  target: Target;
  channels: Channel[];
}

export type Action =
  | 'REMIND'
  | 'MARK_EXPIRING_SOON'
  | 'MARK_OVERDUE'
  | 'REMIND_OVERDUE'
  | 'EXPIRE'
  | 'ESCALATE';

export interface ObligationState {
  kind: ObligationKind;
  id: string;
  workspaceId: string;
  ownerId: string | null;
  /** The entity's own status (e.g. PENDING, OVERDUE, ACTIVE, OPEN). */
  status: string;
  /** COMPLETED / WAIVED / SKIPPED / REVOKED / CANCELLED / RESOLVED / CLOSED ... */
  terminal: boolean;
  /** When the obligation was created/opened. */
  openedAt: Date;
  /** Deadline (expiry for certifications); null = no deadline. */
  dueAt: Date | null;
  /** Steps before dueAt: performed at dueAt - offsetMs (offsetMs >= 0). */
  preDue: Array<{ offsetMs: number; action: 'REMIND' | 'MARK_EXPIRING_SOON' }>;
  /** Step at dueAt. */
  atDue: 'MARK_OVERDUE' | 'EXPIRE' | null;
  /** The ladder clock starts at dueAt, or at openedAt (tickets). */
  escalateFrom: 'DUE' | 'OPENED';
  ladder: LadderLevel[];
  /** Keys of steps already performed. */
  done: string[];
  /** Someone acknowledged (the item or the current escalation): stops the climb. */
  escalationAcknowledged: boolean;
  /**
   * Reminders to the owner after MARK_OVERDUE, as offsets after dueAt (the capped
   * cadence: the overdue notice, then at most three more; see `overdueCadence`).
   */
  overdueReminderMs?: number[];
}

export interface Checkpoint {
  key: string;
  at: Date;
  action: Action;
  level?: Level;
}

export type Next = { type: 'STEP'; step: Checkpoint } | { type: 'WAIT' } | { type: 'DONE' };

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** Nominal calendar units: durations must not depend on a start date or time zone. */
const MONTH_MS = 30 * DAY_MS;
const YEAR_MS = 365 * DAY_MS;

const ANCHORED_DURATION = new RegExp(`^${durationPattern.source}$`);

function invalidDuration(iso: unknown, why: string): Error {
  return new Error(
    `Invalid ISO-8601 duration ${JSON.stringify(iso)}: ${why} (expected e.g. "PT24H", "P3D" or "PT2S")`,
  );
}

/**
 * Converts an ISO-8601 duration (PnYnMnWnDTnHnMnS) to milliseconds. Days are 24h,
 * weeks 7 days; years and months use nominal lengths (365 and 30 days) so the
 * answer never depends on a start date or a time zone. Only the smallest unit may
 * be fractional. Throws an Error naming the input on anything else (empty string,
 * "P", "PT", "P1DT", surrounding text, negative or lower-case durations).
 */
export function durationToMs(iso: string): number {
  if (typeof iso !== 'string') throw invalidDuration(iso, 'not a string');
  if (!ANCHORED_DURATION.test(iso) || iso.endsWith('T')) throw invalidDuration(iso, 'malformed');
  let parts: ReturnType<typeof parseDuration>;
  try {
    parts = parseDuration(iso);
  } catch (err) {
    throw invalidDuration(iso, err instanceof Error ? err.message : 'unparseable');
  }
  const ms =
    (parts.years ?? 0) * YEAR_MS +
    (parts.months ?? 0) * MONTH_MS +
    (parts.weeks ?? 0) * WEEK_MS +
    (parts.days ?? 0) * DAY_MS +
    (parts.hours ?? 0) * HOUR_MS +
    (parts.minutes ?? 0) * MINUTE_MS +
    (parts.seconds ?? 0) * SECOND_MS;
  const rounded = Math.round(ms);
  if (!Number.isSafeInteger(rounded)) throw invalidDuration(iso, 'out of range');
  return rounded;
}

function assertMs(ms: number, what: string): void {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new Error(`${what} must be a non-negative integer number of milliseconds, got ${String(ms)}`);
  }
}

/**
 * Canonical ISO-8601 form of a non-negative integer number of milliseconds, used
 * in step keys: days, hours, minutes and (possibly fractional) seconds, never
 * weeks/months/years; zero is "PT0S". `durationToMs(formatDurationMs(ms)) === ms`.
 */
export function formatDurationMs(ms: number): string {
  assertMs(ms, 'Duration');
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / MINUTE_MS);
  rest -= minutes * MINUTE_MS;
  const seconds = Math.floor(rest / SECOND_MS);
  const millis = rest - seconds * SECOND_MS;
  let time = '';
  if (hours > 0) time += `${hours}H`;
  if (minutes > 0) time += `${minutes}M`;
  if (millis > 0) time += `${seconds}.${String(millis).padStart(3, '0').replace(/0+$/, '')}S`;
  else if (seconds > 0) time += `${seconds}S`;
  const out = `P${days > 0 ? `${days}D` : ''}${time ? `T${time}` : ''}`;
  return out === 'P' ? 'PT0S' : out;
}

/** `ACTION` or `ACTION:detail`; see the module comment for the details used by the plan. */
export function stepKey(action: Action, detail?: string): string {
  return detail === undefined || detail === '' ? action : `${action}:${detail}`;
}

/**
 * Validates a configured ladder and converts `after` to milliseconds. Levels must
 * be strictly increasing in L1 < L2 < L3 < L4 order (a ladder may leave levels out,
 * e.g. L1, L3) and `after` must be non-decreasing. Throws an Error naming the
 * offending entry.
 */
export function resolveLadder(levels: LadderLevelConfig[]): LadderLevel[] {
  const out: LadderLevel[] = [];
  let prevIndex = -1;
  let prevMs = -1;
  levels.forEach((cfg, i) => {
    const index = LEVELS.indexOf(cfg.level);
    if (index < 0) throw new Error(`Ladder entry ${i}: unknown level ${JSON.stringify(cfg.level)}`);
    if (index <= prevIndex) {
      throw new Error(`Ladder entry ${i}: level ${cfg.level} must come after ${LEVELS[prevIndex] ?? ''}`);
    }
    let afterMs: number;
    try {
      afterMs = durationToMs(cfg.after);
    } catch (err) {
      throw new Error(
        `Ladder entry ${i} (${cfg.level}): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (afterMs < prevMs) {
      throw new Error(
        `Ladder entry ${i} (${cfg.level}): after ${cfg.after} is earlier than the previous level`,
      );
    }
    prevIndex = index;
    prevMs = afterMs;
    out.push({ level: cfg.level, afterMs, target: cfg.target, channels: [...cfg.channels] });
  });
  return out;
}

/**
 * The one overdue boundary: a deadline has passed from its own instant on (due at exactly
 * `now` is past due). `nextCheckpoint` plans MARK_OVERDUE / EXPIRE at `dueAt` and the workflow
 * performs a step once its time is not in the future, so the engine, the sweeps (`pastDueSql`
 * in obligations/due.ts) and the reports all agree with this.
 */
export const isPastDue = (due: Date, now: Date): boolean => due.getTime() <= now.getTime();

/** Overdue from the instant of the deadline on (the same instant MARK_OVERDUE is planned for). */
export function isOverdue(state: Pick<ObligationState, 'dueAt' | 'terminal'>, now: Date): boolean {
  return !state.terminal && state.dueAt !== null && isPastDue(state.dueAt, now);
}

/** Fixed order of different actions planned for the same instant. */
const ACTION_ORDER: Readonly<Record<Action, number>> = {
  MARK_EXPIRING_SOON: 0,
  REMIND: 1,
  MARK_OVERDUE: 2,
  REMIND_OVERDUE: 3,
  EXPIRE: 4,
  ESCALATE: 5,
};

/**
 * The capped reminder cadence after a deadline: the overdue notice itself, then at
 * most three reminders spaced one, two and three intervals apart (due + 1i, + 3i, + 6i).
 */
export function overdueCadence(intervalMs: number): number[] {
  if (!(intervalMs > 0)) return [];
  return [1, 3, 6].map((n) => n * intervalMs);
}

function levelIndex(level: Level | undefined): number {
  return level === undefined ? -1 : LEVELS.indexOf(level);
}

function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  return (
    a.at.getTime() - b.at.getTime() ||
    ACTION_ORDER[a.action] - ACTION_ORDER[b.action] ||
    levelIndex(a.level) - levelIndex(b.level) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * The full ordered plan: sorted by `at`, then MARK_EXPIRING_SOON, REMIND,
 * MARK_OVERDUE, EXPIRE, ESCALATE, then level.
 * - preDue steps at dueAt - offsetMs; dropped when that is before openedAt (the
 *   obligation was created too late for them), except that an obligation whose every
 *   REMIND falls before it opened keeps the latest one, so its owner still gets a
 *   first notice (performed at once); duplicates (same key) kept once.
 * - atDue at dueAt.
 * - ESCALATE per ladder level at (escalateFrom 'DUE' ? dueAt : openedAt) + afterMs;
 *   none when that clock start is null. Levels are taken in L1..L4 order (a repeated
 *   level is kept once) and a level is never planned before the level below it, so
 *   the plan always climbs the ladder in order.
 * Throws on a negative or non-integer offsetMs/afterMs.
 */
export function planSteps(state: ObligationState): Checkpoint[] {
  const steps: Checkpoint[] = [];
  const keys = new Set<string>();
  const add = (step: Checkpoint): void => {
    if (keys.has(step.key)) return;
    keys.add(step.key);
    steps.push(step);
  };
  const opened = state.openedAt.getTime();
  if (state.dueAt !== null) {
    const due = state.dueAt.getTime();
    const reminds = state.preDue.filter((p) => p.action === 'REMIND');
    const firstNotice = reminds.every((p) => due - p.offsetMs < opened)
      ? reminds.reduce<number | null>((min, p) => (min === null || p.offsetMs < min ? p.offsetMs : min), null)
      : null;
    for (const pre of state.preDue) {
      assertMs(pre.offsetMs, `preDue ${pre.action} offsetMs`);
      const at = due - pre.offsetMs;
      if (at < opened && !(pre.action === 'REMIND' && pre.offsetMs === firstNotice)) continue;
      add({ key: stepKey(pre.action, formatDurationMs(pre.offsetMs)), at: new Date(at), action: pre.action });
    }
    if (state.atDue !== null) add({ key: stepKey(state.atDue), at: new Date(due), action: state.atDue });
    if (state.atDue === 'MARK_OVERDUE') {
      for (const offset of (state.overdueReminderMs ?? []).slice(0, 3)) {
        assertMs(offset, 'overdueReminderMs');
        if (offset <= 0) continue;
        add({
          key: stepKey('REMIND_OVERDUE', formatDurationMs(offset)),
          at: new Date(due + offset),
          action: 'REMIND_OVERDUE',
        });
      }
    }
  }
  const clock = state.escalateFrom === 'DUE' ? state.dueAt : state.openedAt;
  if (clock !== null) {
    const ladder = [...state.ladder].sort((a, b) => levelIndex(a.level) - levelIndex(b.level));
    let floor = Number.NEGATIVE_INFINITY;
    for (const rung of ladder) {
      assertMs(rung.afterMs, `ladder ${rung.level} afterMs`);
      const at = Math.max(floor, clock.getTime() + rung.afterMs);
      const key = stepKey('ESCALATE', rung.level);
      if (keys.has(key)) continue;
      floor = at;
      add({ key, at: new Date(at), action: 'ESCALATE', level: rung.level });
    }
  }
  return steps.sort(compareCheckpoints);
}

/**
 * What the workflow should do next. Pure: the answer depends on `state` only (the
 * workflow compares `step.at` with its own clock and sleeps until then; `now` is
 * accepted for callers' symmetry and does not change the answer).
 * - terminal => DONE (the only way the workflow ends).
 * - Otherwise the earliest step of `planSteps(state)` that is after every step
 *   already done (never go back: a step ordered before a done step is dropped for
 *   good, e.g. REMIND:P7D once REMIND:P1D or MARK_OVERDUE is done), even if its
 *   time has passed (then the workflow performs it immediately), skipping:
 *   - every ESCALATE while escalationAcknowledged (REMIND / MARK_* / EXPIRE still run);
 *   - an ESCALATE whose lower ladder levels are not all done (never skip a level;
 *     if a lower level was dropped, the climb stops there).
 * - Nothing left => WAIT: the workflow waits for a signal (new deadline, ladder,
 *   completion...) and reloads the snapshot.
 */
export function nextCheckpoint(state: ObligationState, _now: Date): Next {
  if (state.terminal) return { type: 'DONE' };
  const plan = planSteps(state);
  const done = new Set(state.done);
  let frontier = -1;
  plan.forEach((step, i) => {
    if (done.has(step.key)) frontier = i;
  });
  let lowerLevelsDone = true;
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i];
    if (step === undefined) continue;
    const isEscalation = step.action === 'ESCALATE';
    const eligible = !isEscalation || (!state.escalationAcknowledged && lowerLevelsDone);
    if (isEscalation) lowerLevelsDone &&= done.has(step.key);
    if (i > frontier && eligible) return { type: 'STEP', step };
  }
  return { type: 'WAIT' };
}
