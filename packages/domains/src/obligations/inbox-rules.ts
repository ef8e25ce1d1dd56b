import type { Action, Level } from './rules';

/** One open item of a member's inbox, before ordering. */
export interface InboxEntry {
  kind: string;
  id: string;
  title: string;
  status: string;
  dueAt: Date | null;
  overdue: boolean;
  escalationLevel: Level | null;
  next: { action: Action; level?: Level; at: Date } | null;
}

/** Overdue first, then by due date (soonest first, none last), then by id: a stable order. */
export function inboxOrder(a: InboxEntry, b: InboxEntry): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const da = a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const db = b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const WHO: Record<Level, string> = {
  L1: 'your team lead',
  L2: 'your manager',
  L3: 'your director',
  L4: 'your VP or executive',
};

const WHAT: Record<Exclude<Action, 'ESCALATE'>, string> = {
  REMIND: 'reminder',
  REMIND_OVERDUE: 'overdue reminder',
  MARK_EXPIRING_SOON: 'marked expiring soon',
  MARK_OVERDUE: 'becomes overdue',
  EXPIRE: 'expires',
};

/** "in 2 days", "in 3 hours", "now": how far `at` lies after `now`, in the largest whole unit. */
export function relativeTime(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  if (ms <= 60_000) return 'now';
  const units: Array<[string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [name, size] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `in ${n} ${name}${n === 1 ? '' : 's'}`;
  }
  return 'now';
}

/** The owner-facing words for the next step: "escalates to your manager in 2 days", "reminder in 3 hours". */
export function describeNext(next: InboxEntry['next'], now: Date): string | null {
  if (!next) return null;
  const when = relativeTime(next.at, now);
  if (next.action === 'ESCALATE')
    return `escalates to ${next.level ? WHO[next.level] : 'the next level'} ${when}`;
  return `${WHAT[next.action]} ${when}`;
}
