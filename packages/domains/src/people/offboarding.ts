import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../db';
import { type OffboardChange, peopleHooks } from '../hooks';
import { getSettings } from './access';
import { apiTokens, members, teams } from './schema';
import { getMember } from './service';

const CONTACTS = [
  ['directorContactId', 'Director escalation contact (L3)'],
  ['vpExecContactId', 'VP/exec escalation contact (L4)'],
  ['cxoContactId', 'CXO escalation contact'],
  ['policyApproverId', 'Policy approver'],
] as const;

/**
 * What offboarding the member would do now, changing nothing: the tokens it revokes, what each
 * domain's offboarding hook would cancel or reassign (their preview hooks plan with the same code),
 * and the places that keep naming the member (reports, team lead, workspace contacts) to review.
 */
export async function previewOffboarding(db: Executor, workspaceId: string, memberId: string) {
  const member = await getMember(db, workspaceId, memberId);
  const changes: OffboardChange[] = [];
  const tokens = await db
    .select()
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.memberId, memberId),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
      ),
    );
  for (const t of tokens)
    changes.push({
      area: 'people',
      target_type: 'token',
      target_id: t.id,
      label: `API token ${t.name} (${t.prefix}…)`,
      action: 'REVOKE',
      to_member_id: null,
      detail: null,
    });
  for (const hook of peopleHooks.offboardPreview) changes.push(...(await hook(db, workspaceId, memberId)));
  const reports = await db
    .select({ id: members.id, name: members.name })
    .from(members)
    .where(
      and(
        eq(members.workspaceId, workspaceId),
        eq(members.managerId, memberId),
        eq(members.status, 'ACTIVE'),
      ),
    );
  for (const r of reports)
    changes.push({
      area: 'people',
      target_type: 'member',
      target_id: r.id,
      label: `${r.name} reports to them`,
      action: 'STAYS',
      to_member_id: null,
      detail: 'Still named as their manager (L2 escalations); set a new manager',
    });
  const led = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.leadId, memberId)));
  for (const t of led)
    changes.push({
      area: 'people',
      target_type: 'team',
      target_id: t.id,
      label: `Lead of team ${t.name}`,
      action: 'STAYS',
      to_member_id: null,
      detail: 'Still named as the team lead (L1 escalations); choose a new lead',
    });
  const settings = await getSettings(db, workspaceId);
  for (const [column, label] of CONTACTS)
    if (settings[column] === memberId)
      changes.push({
        area: 'people',
        target_type: 'settings',
        target_id: workspaceId,
        label,
        action: 'STAYS',
        to_member_id: null,
        detail: 'Still named in the workspace settings; choose another member',
      });
  return {
    member_id: member.id,
    already_offboarded: member.offboardedAt !== null,
    changes,
  };
}
