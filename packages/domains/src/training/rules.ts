/** Pure rules of mandatory training: due dates, cycles and computed fields. No I/O. */
import { isPastDue, oneOf } from '../obligations/rules';
import { percent } from '../percent';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Default window when a training names neither due_days_after_assignment nor fixed_due_date. */
export const DEFAULT_DUE_DAYS = 30;

export function dueDateFor(
  t: { dueDaysAfterAssignment: number | null; fixedDueDate: Date | null },
  assignedAt: Date,
): Date {
  if (t.fixedDueDate) return t.fixedDueDate;
  return new Date(assignedAt.getTime() + (t.dueDaysAfterAssignment ?? DEFAULT_DUE_DAYS) * DAY_MS);
}

/** Adds calendar months (UTC), clamping to the last day of a shorter month. */
export function addMonthsUtc(d: Date, months: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  target.setUTCMilliseconds(d.getUTCMilliseconds());
  return target;
}

/** Assignment statuses that end the obligation. */
export const TERMINAL_ASSIGNMENT = ['COMPLETED', 'WAIVED'] as const;
/** Open assignments: every other status. */
export const OPEN_ASSIGNMENT = ['PENDING', 'IN_PROGRESS', 'OVERDUE'] as const;
/** Open and not yet marked OVERDUE: the statuses the overdue mark moves on from. */
export const DUE_ASSIGNMENT = ['PENDING', 'IN_PROGRESS'] as const;

/** Whole days until the deadline (negative once past; ceil so "due later today" is 0 or 1). */
export const daysUntil = (due: Date | null, now: Date): number | null =>
  due ? Math.ceil((due.getTime() - now.getTime()) / DAY_MS) : null;

export function assignmentComputed(a: { dueDate: Date; status: string }, now: Date) {
  return {
    days_until_due: daysUntil(a.dueDate, now),
    is_overdue:
      a.status === 'OVERDUE' || (!oneOf(TERMINAL_ASSIGNMENT, a.status) && isPastDue(a.dueDate, now)),
  };
}

export interface TrainingStats {
  assigned: number;
  in_progress: number;
  completed: number;
  overdue: number;
  waived: number;
  completion_rate: number;
}

/** Completion rate (percent, 0–100, one decimal) over assignments that still count (waived ones are excluded). */
export function trainingStats(counts: Partial<Record<string, number>>): TrainingStats {
  const n = (k: string) => counts[k] ?? 0;
  const assigned = n('PENDING') + n('IN_PROGRESS') + n('COMPLETED') + n('OVERDUE') + n('WAIVED');
  const counted = assigned - n('WAIVED');
  return {
    assigned,
    in_progress: n('IN_PROGRESS'),
    completed: n('COMPLETED'),
    overdue: n('OVERDUE'),
    waived: n('WAIVED'),
    completion_rate: percent(n('COMPLETED'), counted) ?? 0,
  };
}

/** Which members a scope selects, given each member's teams and roles. */
export function inScope(
  scope: { type: string; ids: string[] },
  member: { id: string; teamIds: string[]; roleIds: string[] },
): boolean {
  switch (scope.type) {
    case 'ALL':
      return true;
    case 'TEAM':
      return member.teamIds.some((t) => scope.ids.includes(t));
    case 'ROLE':
      return member.roleIds.some((r) => scope.ids.includes(r));
    case 'INDIVIDUAL':
      return scope.ids.includes(member.id);
    default:
      return false;
  }
}
