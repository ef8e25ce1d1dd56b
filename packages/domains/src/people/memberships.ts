import { inArray } from 'drizzle-orm';
import type { Executor } from '../db';
import { firstTeamByMember } from './rules';
import { teamMembers } from './schema';

/** Each member's first team (see firstTeamByMember); members in no team are absent. */
export async function firstTeams(db: Executor, memberIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(memberIds)];
  const rows: Array<{ memberId: string; teamId: string; createdAt: Date }> = [];
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = await db
      .select({
        memberId: teamMembers.memberId,
        teamId: teamMembers.teamId,
        createdAt: teamMembers.createdAt,
      })
      .from(teamMembers)
      .where(inArray(teamMembers.memberId, ids.slice(i, i + 5000)));
    for (const r of chunk) rows.push(r);
  }
  return firstTeamByMember(rows);
}

/** One member's first team, or null. */
export const firstTeam = async (db: Executor, memberId: string): Promise<string | null> =>
  (await firstTeams(db, [memberId])).get(memberId) ?? null;
