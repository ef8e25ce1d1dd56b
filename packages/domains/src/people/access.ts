import { randomBytes } from 'node:crypto';
import { type AccessRole, type AuthContext, requireSelfOr } from '@vigil/kernel/auth';
import {
  forgetInTransaction,
  memoInTransaction,
  memoizedInTransaction,
  primeInTransaction,
} from '@vigil/kernel/db';
import { Forbidden, NotFound, Unauthorized } from '@vigil/kernel/errors';
import { and, eq, getTableColumns, gt, isNull, or, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import { ladderTargetIds } from '../escalation/rules';
import type { LadderLevelConfig } from '../obligations/rules';
import { listPage } from '../paging';
import { hashToken, TOKEN_PREFIX } from './rules';
import { apiTokens, members, workspaceSettings, workspaces } from './schema';
import { assertInWorkspace, getMember } from './service';

export type SettingsRow = typeof workspaceSettings.$inferSelect;

/** Issues a token; the secret is returned once and only its SHA-256 is stored. */
export async function createToken(
  db: Executor,
  ctx: AuthContext,
  input: { member_id?: string; name: string; expires_at?: Date | null },
) {
  const memberId = input.member_id ?? ctx.memberId;
  requireSelfOr(ctx, memberId);
  await getMember(db, ctx.workspaceId, memberId);
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  // The token and its audit entry commit together (a savepoint when the caller is in a transaction).
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({
        workspaceId: ctx.workspaceId,
        memberId,
        name: input.name,
        tokenHash: hashToken(secret),
        prefix: secret.slice(0, 10),
        expiresAt: input.expires_at ?? null,
      })
      .returning();
    if (!created) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'TOKEN_CREATED',
      targetType: 'token',
      targetId: created.id,
      newValue: { member_id: memberId, name: input.name, prefix: created.prefix },
      description: `Token ${created.prefix}… issued`,
    });
    return created;
  });
  return { row, secret };
}

export async function revokeToken(db: Db, ctx: AuthContext, id: string) {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, ctx.workspaceId), eq(apiTokens.id, id)));
  if (!row) throw new NotFound('Token', id);
  requireSelfOr(ctx, row.memberId);
  await db.transaction(async (tx) => {
    await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
    await audit(tx, ctx, {
      action: 'TOKEN_REVOKED',
      targetType: 'token',
      targetId: id,
      description: `Token ${row.prefix}… revoked`,
    });
  });
}

/** Bearer token to caller. Unknown, revoked, expired, or belonging to an inactive member: 401. */
export async function authenticate(
  db: Executor,
  bearer: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<AuthContext> {
  const hash = hashToken(bearer);
  const [row] = await db
    .select({ token: apiTokens, member: members })
    .from(apiTokens)
    .innerJoin(members, eq(members.id, apiTokens.memberId))
    .where(
      and(
        eq(apiTokens.tokenHash, hash),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
      ),
    );
  if (row?.member.status !== 'ACTIVE') throw new Unauthorized();
  const lastUsed = row.token.lastUsedAt?.getTime() ?? 0;
  if (Date.now() - lastUsed > 60_000) {
    // Coarse last-use stamp: at most one write a minute per token.
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.token.id));
  }
  return {
    workspaceId: row.token.workspaceId,
    memberId: row.member.id,
    role: row.member.accessRole as AccessRole,
    tokenId: row.token.id,
    ip: meta.ip,
    userAgent: meta.userAgent,
    via: 'TOKEN',
  };
}

/** The workspace's settings (created with defaults on first read); read once per transaction. */
export function getSettings(db: Executor, workspaceId: string): Promise<SettingsRow> {
  return memoInTransaction(db, `settings:${workspaceId}`, () => readSettings(db, workspaceId));
}

/** Whether getSettings would read the settings again in this transaction (no answer held yet). */
export const settingsUnread = (db: Executor, workspaceId: string) =>
  !memoizedInTransaction(db, `settings:${workspaceId}`);

/**
 * Hands getSettings the workspace's settings row read by another statement of the transaction
 * (as `row_to_json`), so it is not read again. A missing row (null) is left to getSettings.
 */
export function primeSettings(db: Executor, workspaceId: string, json: Record<string, unknown> | null): void {
  if (!json) return;
  const row: Record<string, unknown> = {};
  for (const [prop, column] of Object.entries(getTableColumns(workspaceSettings))) {
    const value = json[column.name];
    row[prop] = value === undefined || value === null ? null : column.mapFromDriverValue(value);
  }
  primeInTransaction(db, `settings:${workspaceId}`, row as SettingsRow);
}

async function readSettings(db: Executor, workspaceId: string): Promise<SettingsRow> {
  const [row] = await db
    .select()
    .from(workspaceSettings)
    .where(eq(workspaceSettings.workspaceId, workspaceId));
  if (row) return row;
  const [created] = await db
    .insert(workspaceSettings)
    .values({ workspaceId })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [again] = await db
    .select()
    .from(workspaceSettings)
    .where(eq(workspaceSettings.workspaceId, workspaceId));
  if (!again) throw new Error('settings row missing');
  return again;
}

export type SettingsInput = Partial<{
  director_contact_id: string | null;
  vp_exec_contact_id: string | null;
  cxo_contact_id: string | null;
  policy_approver_id: string | null;
  ack_deadline_days: number;
  reminder_offsets: string[];
  reminder_interval_hours: number;
  cert_expiring_days: number;
  digest_hour_utc: number;
  quiet_hours: { start: string; end: string } | null;
  skip_weekends: boolean;
  default_ladder: LadderLevelConfig[] | null;
  periodic_ack: { month: number; day: number } | null;
  compliance_thresholds: Record<string, unknown> | null;
}>;

const SETTINGS_COLUMNS: Record<keyof SettingsInput, keyof SettingsRow> = {
  director_contact_id: 'directorContactId',
  vp_exec_contact_id: 'vpExecContactId',
  cxo_contact_id: 'cxoContactId',
  policy_approver_id: 'policyApproverId',
  ack_deadline_days: 'ackDeadlineDays',
  reminder_offsets: 'reminderOffsets',
  reminder_interval_hours: 'reminderIntervalHours',
  cert_expiring_days: 'certExpiringDays',
  digest_hour_utc: 'digestHourUtc',
  quiet_hours: 'quietHours',
  skip_weekends: 'skipWeekends',
  default_ladder: 'defaultLadder',
  periodic_ack: 'periodicAck',
  compliance_thresholds: 'complianceThresholds',
};

export async function updateSettings(db: Db, ctx: AuthContext, input: SettingsInput) {
  const refs = (
    ['director_contact_id', 'vp_exec_contact_id', 'cxo_contact_id', 'policy_approver_id'] as const
  )
    .filter((k) => input[k])
    .map((k): [string, string[]] => [`body.${k}`, [input[k] as string]]);
  const targets = ladderTargetIds('body.default_ladder', input.default_ladder);
  await assertInWorkspace(db, ctx.workspaceId, {
    members: { ...Object.fromEntries(refs), ...targets.members },
    teams: targets.teams,
  });
  const before = await getSettings(db, ctx.workspaceId);
  return db.transaction(async (tx) => {
    const patch: Record<string, unknown> = { updatedAt: new Date() };
    const oldValue: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      const column = SETTINGS_COLUMNS[key as keyof SettingsInput];
      patch[column] = value;
      oldValue[key] = before[column];
    }
    const [row] = await tx
      .update(workspaceSettings)
      .set(patch)
      .where(eq(workspaceSettings.workspaceId, ctx.workspaceId))
      .returning();
    forgetInTransaction(tx, `settings:${ctx.workspaceId}`);
    await audit(tx, ctx, {
      action: 'SETTINGS_UPDATED',
      targetType: 'settings',
      targetId: ctx.workspaceId,
      oldValue,
      newValue: input,
      description: 'Workspace settings updated',
    });
    return row as SettingsRow;
  });
}

/** Creates a workspace with its first admin and an admin token (used by the admin CLI and the demo seed). */
export async function bootstrapWorkspace(
  db: Db,
  input: { name: string; adminEmail: string; adminName?: string },
) {
  return db.transaction(async (tx) => {
    const [ws] = await tx.insert(workspaces).values({ name: input.name }).returning();
    if (!ws) throw new Error('insert returned nothing');
    const [admin] = await tx
      .insert(members)
      .values({
        workspaceId: ws.id,
        name: input.adminName ?? 'Workspace admin',
        email: input.adminEmail.toLowerCase(),
        accessRole: 'ADMIN',
      })
      .returning();
    if (!admin) throw new Error('insert returned nothing');
    await tx.insert(workspaceSettings).values({ workspaceId: ws.id });
    const ctx: AuthContext = {
      workspaceId: ws.id,
      memberId: admin.id,
      role: 'ADMIN',
      tokenId: null,
      ip: null,
      userAgent: 'vigil-admin',
      via: 'SYSTEM',
    };
    await audit(tx, ctx, {
      action: 'WORKSPACE_CREATED',
      targetType: 'workspace',
      targetId: ws.id,
      newValue: { name: ws.name, admin_email: admin.email },
      description: `Workspace ${ws.name} created`,
    });
    const { secret } = await createToken(
      tx,
      { ...ctx, via: 'TOKEN' },
      { member_id: admin.id, name: 'bootstrap' },
    );
    return { workspace: ws, admin, token: secret };
  });
}

/** A page of tokens (never their hash), newest first: the member's own; any member's for admins and auditors. */
export async function listTokens(
  db: Executor,
  ctx: AuthContext,
  f: { member_id?: string; include_revoked?: boolean; limit: number; cursor?: string },
) {
  const seesAll = ctx.role === 'ADMIN' || ctx.role === 'AUDITOR';
  const memberId = f.member_id ?? (seesAll ? undefined : ctx.memberId);
  if (memberId !== ctx.memberId && !seesAll) throw new Forbidden('You may list only your own tokens');
  const where = [eq(apiTokens.workspaceId, ctx.workspaceId)];
  if (memberId) where.push(eq(apiTokens.memberId, memberId));
  if (!f.include_revoked) where.push(isNull(apiTokens.revokedAt));
  return listPage(db, apiTokens, where, f);
}
