import { createHash } from 'node:crypto';

export const MEMBER_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Tokens are stored only as SHA-256; the secret is shown once. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
export const TOKEN_PREFIX = 'vgl_';

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** True if making `managerId` the manager of `memberId` would close a loop in the reporting chain. */
export function wouldCreateManagerCycle(
  memberId: string,
  managerId: string | null,
  managerOf: (id: string) => string | null | undefined,
): boolean {
  const seen = new Set<string>();
  let cur = managerId;
  while (cur) {
    if (cur === memberId) return true;
    if (seen.has(cur)) return false;
    seen.add(cur);
    cur = managerOf(cur) ?? null;
  }
  return false;
}

/** "HH:MM" to minutes after midnight. */
export function parseClock(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`Invalid time ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export interface Membership {
  memberId: string;
  teamId: string;
  createdAt: Date;
}

/** Membership order: the earliest membership first (created_at), then the lower team id. */
export const compareMemberships = (a: Membership, b: Membership): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0);

/**
 * Each member's "first team": their earliest membership by created_at, then team id. It is
 * the one team that picks the escalation matrix of a member's obligations and whose lead is
 * their L1 (TEAM_LEAD) when the obligation names no team of its own.
 */
export function firstTeamByMember(rows: readonly Membership[]): Map<string, string> {
  const best = new Map<string, Membership>();
  for (const r of rows) {
    const cur = best.get(r.memberId);
    if (!cur || compareMemberships(r, cur) < 0) best.set(r.memberId, r);
  }
  return new Map([...best].map(([memberId, m]) => [memberId, m.teamId]));
}
