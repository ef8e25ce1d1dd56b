/**
 * Notification rules: when a message may be delivered, how often it repeats,
 * its deduplication key, its wording and the channels it goes out on.
 *
 * Quiet hours and weekends are evaluated on the member's local wall clock.
 * Turning a local wall time back into an instant is DST-safe:
 * - a wall time skipped by a spring-forward gap becomes the first instant after
 *   the gap (the transition itself);
 * - an ambiguous wall time (fall-back overlap) takes the earliest instant that is
 *   still later than the time being moved.
 */
import { formatInTimeZone } from 'date-fns-tz';

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

function knownZone(timezone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return timezone;
  } catch {
    return 'UTC';
  }
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
  /** ISO day of week: 1 = Monday … 7 = Sunday. */
  isoDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local wall clock at `at`, as milliseconds on a UTC time line (whole seconds). */
function wallClock(at: number, tz: string): number {
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
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
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

// ---------------------------------------------------------------------------
// Message wording

export const NOTIFICATION_TEMPLATES = [
  'obligation.reminder',
  'obligation.overdue',
  'obligation.escalation',
  'obligation.expiring',
  'digest.member',
  'digest.manager',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const KIND_LABELS: Record<string, string> = {
  training_assignment: 'training',
  member_certification: 'certification',
  reminder_instance: 'compliance task',
  acknowledgement_request: 'policy acknowledgement',
  ticket: 'ticket',
};
const LEVEL_LABELS: Record<string, string> = {
  L1: 'team lead',
  L2: 'manager',
  L3: 'director',
  L4: 'VP or executive',
};
const MAX_DIGEST_ITEMS = 50;

export const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Plain text as HTML: blank lines separate paragraphs, "- " lines become a list. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => l.startsWith('- ')))
        return `<ul>${lines.map((l) => `<li>${escapeHtml(l.slice(2))}</li>`).join('')}</ul>`;
      return `<p>${lines.map(escapeHtml).join('<br>')}</p>`;
    })
    .join('\n');
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim()
    ? v.trim()
    : typeof v === 'number' && Number.isFinite(v)
      ? String(v)
      : undefined;

function when(v: unknown, tz: string, pattern = 'EEE d MMM yyyy, HH:mm zzz'): string | undefined {
  const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime())) return str(v);
  return formatInTimeZone(d, tz, pattern);
}

interface Item {
  title: string;
  due?: string;
  overdue: boolean;
  owner?: string;
}

function items(v: unknown, tz: string): Item[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((raw): Item[] => {
    if (!raw || typeof raw !== 'object') return [];
    const r = raw as Record<string, unknown>;
    return [
      {
        title: str(r.title) ?? 'Untitled item',
        due: when(r.due_at, tz, 'EEE d MMM yyyy'),
        overdue: r.overdue === true || r.status === 'OVERDUE',
        owner: str(r.owner_name),
      },
    ];
  });
}

function itemLines(list: Item[], withOwner: boolean): string {
  const shown = list.slice(0, MAX_DIGEST_ITEMS).map((i) => {
    const who = withOwner && i.owner ? `${i.owner}: ` : '';
    const due = i.due ? ` (due ${i.due}${i.overdue ? ', overdue' : ''})` : i.overdue ? ' (overdue)' : '';
    return `- ${who}${i.title}${due}`;
  });
  if (list.length > MAX_DIGEST_ITEMS) shown.push(`- and ${list.length - MAX_DIGEST_ITEMS} more`);
  return shown.join('\n');
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Renders a template into an email-ready subject, plain text and HTML (every value
 * HTML-escaped). Data keys: recipient_name, title, kind, due_at, expires_at, level,
 * owner_name, days_overdue, url, timezone (for dates; UTC otherwise), and for digests
 * items: [{ title, due_at, status | overdue, owner_name }].
 */
export function renderMessage(template: string, data: Record<string, unknown>): RenderedMessage {
  const tz = knownZone(str(data.timezone) ?? 'UTC');
  const name = str(data.recipient_name);
  const title = str(data.title) ?? 'a compliance item';
  const label = KIND_LABELS[str(data.kind) ?? ''] ?? 'compliance item';
  const due = when(data.due_at, tz);
  const dueDay = when(data.due_at, tz, 'd MMM yyyy');
  const owner = str(data.owner_name);
  const level = str(data.level);
  const daysOverdue = typeof data.days_overdue === 'number' ? data.days_overdue : undefined;
  const url = str(data.url);
  const link = url && /^https?:\/\//i.test(url) ? url : undefined;

  let subject: string;
  let body: string[];
  switch (template as NotificationTemplate) {
    case 'obligation.reminder':
      subject = dueDay ? `Reminder: ${title} is due ${dueDay}` : `Reminder: ${title}`;
      body = [
        due ? `Your ${label} "${title}" is due on ${due}.` : `Your ${label} "${title}" is waiting for you.`,
        'Please complete it before the deadline.',
      ];
      break;
    case 'obligation.overdue':
      subject = `Overdue: ${title}`;
      body = [
        `Your ${label} "${title}" ${due ? `was due on ${due} and ` : ''}is now overdue` +
          (daysOverdue && daysOverdue > 0 ? ` by ${plural(daysOverdue, 'day')}.` : '.'),
        'Please complete it as soon as possible. If it stays open it will be escalated.',
      ];
      break;
    case 'obligation.escalation': {
      const levelText = level ? ` as ${LEVEL_LABELS[level] ?? 'escalation contact'} (level ${level})` : '';
      subject = `Escalation${level ? ` ${level}` : ''}: ${owner ? `${owner}'s ` : ''}${title} is overdue`;
      body = [
        `${owner ? `${owner}'s` : 'A'} ${label} "${title}" ${due ? `was due on ${due} and ` : ''}is still not done.`,
        `It has been escalated to you${levelText}.`,
        `Please follow up with ${owner ?? 'the owner'}, or acknowledge this escalation.`,
      ];
      break;
    }
    case 'obligation.expiring': {
      const expires = when(data.expires_at ?? data.due_at, tz);
      subject = `Expiring soon: ${title}`;
      body = [
        expires
          ? `Your ${label} "${title}" expires on ${expires}.`
          : `Your ${label} "${title}" expires soon.`,
        'Please renew it before then.',
      ];
      break;
    }
    case 'digest.member': {
      const list = items(data.items, tz);
      const overdue = list.filter((i) => i.overdue).length;
      subject = `Your compliance items: ${list.length} open${overdue ? `, ${overdue} overdue` : ''}`;
      body = list.length
        ? [`You have ${plural(list.length, 'open compliance item')}:`, itemLines(list, false)]
        : ['You have no open compliance items. Nothing to do today.'];
      break;
    }
    case 'digest.manager': {
      const list = items(data.items, tz);
      const overdue = list.filter((i) => i.overdue).length;
      subject = `Your team's compliance: ${list.length} open, ${overdue} overdue`;
      body = list.length
        ? [`Your team has ${plural(list.length, 'open compliance item')}:`, itemLines(list, true)]
        : ['Your team has no open compliance items.'];
      break;
    }
    default:
      throw new Error(`Unknown notification template ${template}`);
  }
  const paragraphs = [name ? `Hi ${name},` : 'Hello,', ...body];
  const text = [...paragraphs, ...(link ? [`Open it in Vigil: ${link}`] : []), 'Vigil'].join('\n\n');
  const html = [
    textToHtml(paragraphs.join('\n\n')),
    ...(link ? [`<p><a href="${escapeHtml(link)}">Open it in Vigil</a></p>`] : []),
    '<p>Vigil</p>',
  ].join('\n');
  return { subject: subject.replace(/\s+/g, ' ').trim(), text, html };
}
