/**
 * Pure rules of the compliance reports: the score, days overdue, and the classification of
 * a member's compliance status. No I/O.
 *
 * Reports key off completion (completed_at / COMPLETED), never off acknowledgement: an acknowledged
 * training or reminder instance that is past due is still overdue.
 */
import { isPastDue, oneOf } from '../obligations/rules';
import { round1 } from '../percent';
import { OPEN_INSTANCE } from '../reminders/rules';
import { TERMINAL_ASSIGNMENT } from '../training/rules';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Window of the "due or expiring soon" checks that make a member AT_RISK. */
export const AT_RISK_DAYS = 7;
/** Window of the overview's "expiring in 30 days" count. */
export const OVERVIEW_EXPIRING_DAYS = 30;
export const OVERDUE_LIMIT_MAX = 1000;
export const OVERDUE_LIMIT_DEFAULT = 200;

export const COMPLIANCE_STATUSES = ['COMPLIANT', 'AT_RISK', 'NON_COMPLIANT'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export const OVERDUE_KINDS = [
  'training_assignment',
  'member_certification',
  'reminder_instance',
  'acknowledgement_request',
] as const;
export type OverdueKind = (typeof OVERDUE_KINDS)[number];

/**
 * The overall compliance score, a percentage like every rate (0–100, one decimal; see percent.ts):
 * the unweighted mean of the completion rates that are available (non-null). The rates used by the overview are
 * - training: completed / non-waived assignments,
 * - certifications: valid holdings / (required certifications x active members),
 * - reminders: completed / non-skipped instances that are due or completed,
 * - policies: acknowledged / non-cancelled acknowledgement requests.
 * With no measurable rate at all (an empty workspace) the score is 100: nothing is outstanding.
 */
export function complianceScore(rates: ReadonlyArray<number | null>): number {
  const present = rates.filter((r): r is number => r !== null && Number.isFinite(r));
  if (!present.length) return 100;
  return round1(present.reduce((s, r) => s + r, 0) / present.length);
}

/** Whole days until a deadline (negative once past; ceil, so "later today" is 0 or 1). */
export const daysUntil = (due: Date | null, now: Date): number | null =>
  due ? Math.ceil((due.getTime() - now.getTime()) / DAY_MS) + 0 : null;

/** Whole days a deadline has passed (0 on the due day, never negative). */
export const daysOverdue = (due: Date, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - due.getTime()) / DAY_MS));

/** An assignment is overdue when marked so, or open with its due date passed (acknowledged or not). */
export const isAssignmentOverdue = (status: string, due: Date, now: Date): boolean =>
  !oneOf(TERMINAL_ASSIGNMENT, status) && (status === 'OVERDUE' || isPastDue(due, now));

/** A reminder instance is overdue while open and past due; ACKNOWLEDGED does not clear it. */
export const isInstanceOverdue = (status: string, due: Date, now: Date): boolean =>
  oneOf(OPEN_INSTANCE, status) && (status === 'OVERDUE' || status === 'ESCALATED' || isPastDue(due, now));

/** An acknowledgement request is overdue when marked so, or still PENDING past its deadline. */
export const isAckOverdue = (status: string, due: Date, now: Date): boolean =>
  status === 'OVERDUE' || (status === 'PENDING' && isPastDue(due, now));

/** Counts per status, with every known status present (0 when absent). */
export function byStatus<S extends string>(
  statuses: readonly S[],
  rows: ReadonlyArray<{ status: string; n: number }>,
): Record<S, number> {
  const out = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
  for (const r of rows) if ((statuses as readonly string[]).includes(r.status)) out[r.status as S] += r.n;
  return out;
}

export interface DeveloperFacts {
  /** Open training assignments, reminder instances and acknowledgement requests past due. */
  overdueItems: number;
  /** Required certifications held only in an expired form, or not held at all. */
  expiredRequired: number;
  missingRequired: number;
  /** Open items due within AT_RISK_DAYS (not yet overdue). */
  dueSoonItems: number;
  /** Certifications (valid, not expired) expiring within AT_RISK_DAYS. */
  expiringSoonCerts: number;
}

/**
 * A member's compliance status:
 * NON_COMPLIANT if anything is overdue, or a required certification is expired or missing;
 * AT_RISK otherwise if anything is due, or any certification expires, within AT_RISK_DAYS (7) days;
 * COMPLIANT otherwise.
 */
export function classify(f: DeveloperFacts): ComplianceStatus {
  if (f.overdueItems > 0 || f.expiredRequired > 0 || f.missingRequired > 0) return 'NON_COMPLIANT';
  if (f.dueSoonItems > 0 || f.expiringSoonCerts > 0) return 'AT_RISK';
  return 'COMPLIANT';
}

/** True when an open item's deadline is still ahead but within `days` days. */
export const isDueWithin = (due: Date, now: Date, days: number): boolean =>
  due.getTime() > now.getTime() && due.getTime() - now.getTime() <= days * DAY_MS;

export interface DeveloperInput {
  assignments: ReadonlyArray<{ status: string; due: Date }>;
  certifications: ReadonlyArray<{ certificationId: string; status: string; expiry: Date | null }>;
  required: ReadonlyArray<{ id: string; name: string }>;
  /** Open reminder instances only. */
  reminders: ReadonlyArray<{ status: string; due: Date }>;
  /** Non-cancelled acknowledgement requests. */
  acks: ReadonlyArray<{ status: string; due: Date }>;
}

export interface MissingRequired {
  certification_id: string;
  name: string;
  /** EXPIRED: held, but no copy is still valid; NOT_HELD: never held (or only revoked). */
  reason: 'EXPIRED' | 'NOT_HELD';
}

/** A member's missing required certifications, acknowledgement counts and compliance status. */
export function developerSummary(d: DeveloperInput, now: Date) {
  const live = (c: DeveloperInput['certifications'][number]) =>
    c.status !== 'REVOKED' && c.status !== 'EXPIRED' && (c.expiry === null || !isPastDue(c.expiry, now));
  const valid = new Set(d.certifications.filter(live).map((c) => c.certificationId));
  const held = new Set(d.certifications.filter((c) => c.status !== 'REVOKED').map((c) => c.certificationId));
  const missingRequired: MissingRequired[] = d.required
    .filter((r) => !valid.has(r.id))
    .map((r) => ({ certification_id: r.id, name: r.name, reason: held.has(r.id) ? 'EXPIRED' : 'NOT_HELD' }));

  const openAcks = d.acks.filter((a) => a.status === 'PENDING' || a.status === 'OVERDUE');
  const open = [
    ...d.assignments
      .filter((a) => !oneOf(TERMINAL_ASSIGNMENT, a.status))
      .map((a) => ({ due: a.due, overdue: isAssignmentOverdue(a.status, a.due, now) })),
    ...d.reminders
      .filter((r) => oneOf(OPEN_INSTANCE, r.status))
      .map((r) => ({ due: r.due, overdue: isInstanceOverdue(r.status, r.due, now) })),
    ...openAcks.map((a) => ({ due: a.due, overdue: isAckOverdue(a.status, a.due, now) })),
  ];
  const status = classify({
    overdueItems: open.filter((o) => o.overdue).length,
    expiredRequired: missingRequired.filter((m) => m.reason === 'EXPIRED').length,
    missingRequired: missingRequired.filter((m) => m.reason === 'NOT_HELD').length,
    dueSoonItems: open.filter((o) => !o.overdue && isDueWithin(o.due, now, AT_RISK_DAYS)).length,
    expiringSoonCerts: d.certifications.filter(
      (c) => live(c) && c.expiry !== null && isDueWithin(c.expiry, now, AT_RISK_DAYS),
    ).length,
  });
  return {
    status,
    missingRequired,
    acknowledgements: {
      pending: openAcks.length,
      acknowledged: d.acks.filter((a) => a.status === 'ACKNOWLEDGED').length,
      overdue: d.acks.filter((a) => isAckOverdue(a.status, a.due, now)).length,
      fully_acknowledged: openAcks.length === 0,
    },
  };
}
