/**
 * Notification wording: renders a template into an email-ready subject, plain text and HTML.
 * Dates are shown in the recipient's timezone (UTC when unknown).
 */
import { formatInTimeZone } from 'date-fns-tz';
import { knownZone } from './rules';

export const NOTIFICATION_TEMPLATES = [
  'obligation.reminder',
  'obligation.overdue',
  'obligation.escalation',
  'obligation.expiring',
  'digest.member',
  'digest.manager',
  'policy.decision',
  'auth.sign_in_link',
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
    case 'policy.decision': {
      const number = typeof data.number === 'number' ? ` version ${data.number}` : '';
      const approved = str(data.decision) === 'APPROVED';
      const reason = str(data.reason);
      subject = `Policy ${approved ? 'approved' : 'rejected'}: ${title}${number}`;
      body = [
        `The policy "${title}"${number} you drafted was ${approved ? 'approved' : 'rejected'}` +
          (owner ? ` by ${owner}.` : '.'),
        ...(approved
          ? ['It is now the active version; members in scope are asked to acknowledge it.']
          : [reason ? `Reason: ${reason}` : 'No reason was given.', 'Revise it and submit a new version.']),
      ];
      break;
    }
    case 'auth.sign_in_link': {
      const workspace = str(data.workspace_name);
      const minutes = typeof data.expires_in_minutes === 'number' ? data.expires_in_minutes : 15;
      subject = `Your Vigil sign-in link${workspace ? ` for ${workspace}` : ''}`;
      body = [
        `Someone (hopefully you) asked to sign in to Vigil${workspace ? ` (workspace ${workspace})` : ''}.`,
        `The link below works once, within ${plural(minutes, 'minute')}. If you did not ask for it, ignore this message.`,
      ];
      break;
    }
    default:
      throw new Error(`Unknown notification template ${template}`);
  }
  const paragraphs = [name ? `Hi ${name},` : 'Hello,', ...body];
  const linkText = template === 'auth.sign_in_link' ? 'Sign in to Vigil' : 'Open it in Vigil';
  const text = [...paragraphs, ...(link ? [`${linkText}: ${link}`] : []), 'Vigil'].join('\n\n');
  const html = [
    textToHtml(paragraphs.join('\n\n')),
    ...(link ? [`<p><a href="${escapeHtml(link)}">${linkText}</a></p>`] : []),
    '<p>Vigil</p>',
  ].join('\n');
  return { subject: subject.replace(/\s+/g, ' ').trim(), text, html };
}
