/**
 * Notification rules: when a message may be delivered, how often it repeats,
 * its deduplication key and the channels it goes out on. Wording lives in messages.ts.
 *
 * Quiet hours and weekends are evaluated on the member's local wall clock.
 * Turning a local wall time back into an instant is DST-safe:
 * - a wall time skipped by a spring-forward gap becomes the first instant after
 *   the gap (the transition itself);
 * - an ambiguous wall time (fall-back overlap) takes the earliest instant that is
 *   still later than the time being moved.
 */

export interface QuietHours {
  /** Local "HH:MM" at which quiet hours begin (inclusive). */
  start: string;
  /** Local "HH:MM" at which quiet hours end (exclusive). May be earlier than `start` (wraps midnight). */
  end: string;
}

export interface DeliveryWindow {
  /** IANA zone name; an unknown zone is treated as UTC. */
  timezone: string;
  quietHours?: QuietHours | null;
  skipWeekends?: boolean;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Monday delivery time when a weekend is skipped and there are no quiet hours. */
const DEFAULT_WEEKDAY_START = 9 * 60;

function clockMinutes(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
  /** ISO day of week: 1 = Monday … 7 = Sunday. */
  isoDay: number;
}

/** One wall-clock formatter per zone, made once (making one costs far more than using it). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** `timezone` when the runtime knows it as an IANA zone, else UTC. */
export function knownZone(timezone: string): string {
  if (formatters.has(timezone)) return timezone;
  try {
    formatterFor(timezone);
    return timezone;
  } catch {
    return 'UTC';
  }
}

/** The local wall clock at `at`, as milliseconds on a UTC time line (whole seconds). */
function wallClock(at: number, tz: string): number {
  const p: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(at))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** The zone's offset from UTC at `at`, in milliseconds. */
const offsetAt = (at: number, tz: string): number => wallClock(at, tz) - Math.floor(at / 1000) * 1000;

function localTime(at: number, tz: string): LocalTime {
  const w = new Date(wallClock(at, tz));
  return {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth() + 1,
    day: w.getUTCDate(),
    minutes: w.getUTCHours() * 60 + w.getUTCMinutes(),
    isoDay: ((w.getUTCDay() + 6) % 7) + 1,
  };
}

/**
 * The first instant later than `after` at which the local clock in `tz` reads the given
 * wall time; when a DST gap skips that wall time, the transition that skips it.
 */
function instantAt(
  date: { year: number; month: number; day: number },
  minutes: number,
  tz: string,
  after: number,
): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const offsets = [...new Set([wall - DAY_MS, wall, wall + DAY_MS].map((t) => offsetAt(t, tz)))];
  const exact = offsets
    .map((o) => wall - o)
    .filter((t) => wallClock(t, tz) === wall && t > after)
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return exact[0];
  // Skipped by a gap: find the first instant whose wall clock has passed `wall`.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  if (wallClock(hi, tz) < wall) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(mid, tz) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function inQuiet(minutes: number, q: { start: number; end: number }): boolean {
  return q.start < q.end ? minutes >= q.start && minutes < q.end : minutes >= q.start || minutes < q.end;
}

/**
 * When a message produced at `now` may be delivered: `now`, unless that falls in the
 * member's quiet hours (then the end of quiet hours) or, with `skipWeekends`, on a local
 * Saturday or Sunday (then Monday at the quiet-hours end, or 09:00 without quiet hours).
 * Invalid quiet hours, or a start equal to the end, mean no quiet hours.
 */
export function deliverAfter(now: Date, opts: DeliveryWindow): Date {
  const tz = knownZone(opts.timezone);
  const start = opts.quietHours ? clockMinutes(opts.quietHours.start) : null;
  const end = opts.quietHours ? clockMinutes(opts.quietHours.end) : null;
  const quiet = start !== null && end !== null && start !== end ? { start, end } : null;
  const weekdayStart = quiet ? quiet.end : DEFAULT_WEEKDAY_START;

  let t = now.getTime();
  if (Number.isNaN(t)) return new Date(t);
  // Each move goes strictly forward and lands outside quiet hours; two moves always settle.
  for (let i = 0; i < 8; i++) {
    const local = localTime(t, tz);
    let next = t;
    if (quiet && inQuiet(local.minutes, quiet)) {
      const day = quiet.start > quiet.end && local.minutes >= quiet.start ? addDays(local, 1) : local;
      next = instantAt(day, quiet.end, tz, t);
    } else if (opts.skipWeekends && local.isoDay >= 6) {
      next = instantAt(addDays(local, 8 - local.isoDay), weekdayStart, tz, t);
    } else {
      return new Date(t);
    }
    t = next > t ? next : t + MINUTE_MS;
  }
  return new Date(t);
}

/** The first notice, then at most three reminders one, two and three intervals apart. */
export function reminderCadence(firstAt: Date, intervalMs: number): Date[] {
  const first = firstAt.getTime();
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) return [new Date(first)];
  return [0, 1, 3, 6].map((n) => new Date(first + n * intervalMs));
}

const keyPart = (s: string): string => s.replace(/%/g, '%25').replace(/:/g, '%3A');

/** The outbox's idempotency key: one message per (kind, obligation, step, recipient, channel). */
export function dedupeKey(parts: {
  kind: string;
  obligationId: string;
  stepKey: string;
  recipientId: string;
  channel: string;
}): string {
  return [parts.kind, parts.obligationId, parts.stepKey, parts.recipientId, parts.channel]
    .map(keyPart)
    .join(':');
}

export type DeliveryChannel = 'email' | 'slack' | 'log';

/**
 * The channels a message actually goes out on: the requested ones the member wants
 * (when they set preferences), that are configured, and that the member can receive.
 * When none is left, the message is still recorded on the log channel.
 */
export function resolveChannels(
  requested: DeliveryChannel[],
  member: {
    email: string | null;
    slackUserId: string | null;
    preferences?: { channels?: Array<'email' | 'slack'> };
  },
  available: { email: boolean; slack: boolean },
): DeliveryChannel[] {
  const wanted = member.preferences?.channels;
  const usable = (c: DeliveryChannel): boolean => {
    if (c === 'log') return true;
    if (wanted && !wanted.includes(c)) return false;
    return c === 'email'
      ? available.email && Boolean(member.email)
      : available.slack && Boolean(member.slackUserId);
  };
  const out = [...new Set(requested)].filter(usable);
  return out.length ? out : ['log'];
}

/** Provider calls a row gets before it is marked FAILED (a 5xx, a timeout, a rate limit each count). */
export const MAX_DELIVERY_ATTEMPTS = 12;

/**
 * Wait before attempt `attempts + 1` after a transient failure: 1 s doubling per
 * attempt up to 5 minutes, with up to 20% jitter (`random` in [0, 1)) so a provider
 * outage does not end in a thundering herd. Twelve attempts span about 20 minutes.
 */
export function deliveryBackoffMs(attempts: number, random: number): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attempts - 1), 300_000);
  return Math.round(base * (1 + 0.2 * Math.min(Math.max(random, 0), 1)));
}

/**
 * A secret (a one-time link's token) stands in a message's subject, text and HTML as this
 * placeholder; the outbox row keeps the value apart, for the delivery alone.
 */
export const secretPlaceholder = (name: string): string => `__vigil_secret_${name.replace(/\W/g, '_')}__`;

/** The text with each placeholder replaced by its secret (what the provider is sent). */
export function revealSecrets(text: string, secrets: Record<string, string> | null | undefined): string {
  if (!secrets) return text;
  let out = text;
  for (const [name, value] of Object.entries(secrets)) out = out.split(secretPlaceholder(name)).join(value);
  return out;
}
