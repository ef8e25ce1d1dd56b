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
