import type { AuthContext } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import { BadRequest, Conflict, Forbidden, NotFound } from '@vigil/kernel/errors';
import type { TemporalHandle } from '@vigil/kernel/temporal';
import { and, asc, desc, eq } from 'drizzle-orm';
import { type AuditEntry, audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { getSettings } from '../people/access';
import { startEvent } from './acks';
import { type DeliveryDeps, queueDecisionNotice } from './notify';
import {
  canTransition,
  contentSha256,
  diffVersions,
  nextVersionNumber,
  type PolicyVersionStatus,
} from './rules';
import { policies, policyTemplates, policyTemplateVersions, policyVersions, rolePolicies } from './schema';
import { ensureTemplates } from './template-service';

export type PolicyRow = typeof policies.$inferSelect;
export type PolicyVersionRow = typeof policyVersions.$inferSelect;

export async function getPolicy(db: Executor, workspaceId: string, id: string): Promise<PolicyRow> {
  return findInWorkspace(db, policies, 'Policy', workspaceId, id);
}

export async function listVersions(db: Executor, workspaceId: string, policyId: string) {
  await getPolicy(db, workspaceId, policyId);
  return db
    .select()
    .from(policyVersions)
    .where(and(eq(policyVersions.workspaceId, workspaceId), eq(policyVersions.policyId, policyId)))
    .orderBy(asc(policyVersions.number));
}

/** Each policy with its active version and its latest version's status. */
export async function listPolicies(db: Executor, workspaceId: string) {
  const rows = await db
    .select()
    .from(policies)
    .where(eq(policies.workspaceId, workspaceId))
    .orderBy(asc(policies.id));
  if (!rows.length) return [];
  const versions = await db
    .select()
    .from(policyVersions)
    .where(eq(policyVersions.workspaceId, workspaceId))
    .orderBy(desc(policyVersions.number));
  const roles = await db.select().from(rolePolicies).where(eq(rolePolicies.workspaceId, workspaceId));
  return rows.map((p) => {
    const own = versions.filter((v) => v.policyId === p.id);
    const active = own.find((v) => v.id === p.activeVersionId) ?? null;
    return {
      policy: p,
      latest: own[0] ?? null,
      active,
      roleIds: roles.filter((r) => r.policyId === p.id).map((r) => r.roleId),
    };
  });
}

export interface CreatePolicyInput {
  template_id?: string;
  template_key?: string;
  name?: string;
  content?: string;
  config?: Record<string, unknown>;
  applies_to_all?: boolean;
  change_summary?: string;
}

export async function createPolicy(db: Db, ctx: AuthContext, input: CreatePolicyInput) {
  let content = input.content;
  let name = input.name;
  let config = input.config ?? {};
  let templateId: string | null = null;
  let templateVersionId: string | null = null;
  if (input.template_id || input.template_key) {
    await ensureTemplates(db);
    const [tpl] = await db
      .select()
      .from(policyTemplates)
      .where(
        input.template_id
          ? eq(policyTemplates.id, input.template_id)
          : eq(policyTemplates.key, input.template_key ?? ''),
      );
    if (!tpl) {
      const field = input.template_id ? 'body.template_id' : 'body.template_key';
      throw new BadRequest(`${field}: no such template`, [{ field, message: 'No such template' }]);
    }
    const [tv] = await db
      .select()
      .from(policyTemplateVersions)
      .where(eq(policyTemplateVersions.templateId, tpl.id))
      .orderBy(desc(policyTemplateVersions.version))
      .limit(1);
    if (!tv) throw new Conflict('Template has no version');
    templateId = tpl.id;
    templateVersionId = tv.id;
    content = input.content ?? tv.content;
    name = input.name ?? tpl.name;
    config = input.config ?? tv.config;
  }
  if (!content || !name) {
    throw new BadRequest('A custom policy needs name and content (or give template_id / template_key)', [
      { field: 'body.content', message: 'Required without a template' },
    ]);
  }
  return db.transaction(async (tx) => {
    const [p] = await tx
      .insert(policies)
      .values({
        workspaceId: ctx.workspaceId,
        name,
        templateId,
        appliesToAll: input.applies_to_all ?? false,
        createdById: ctx.memberId,
      })
      .returning();
    if (!p) throw new Error('insert returned nothing');
    const [v] = await tx
      .insert(policyVersions)
      .values({
        workspaceId: ctx.workspaceId,
        policyId: p.id,
        number: 1,
        content,
        config,
        contentSha256: contentSha256(content),
        changeSummary: input.change_summary ?? 'Initial version',
        createdById: ctx.memberId,
        templateVersionId,
      })
      .returning();
    if (!v) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'POLICY_CREATED',
      targetType: 'policy',
      targetId: p.id,
      newValue: {
        name,
        template_id: templateId,
        template_version_id: templateVersionId,
        version_id: v.id,
        content_sha256: v.contentSha256,
      },
      description: `Policy "${name}" created`,
    });
    return { policy: p, version: v };
  });
}

export interface UpdatePolicyInput {
  name?: string;
  content?: string;
  config?: Record<string, unknown>;
  change_summary?: string;
  applies_to_all?: boolean;
  submit?: boolean;
}

/** A new DRAFT (or PENDING_APPROVAL with submit) version; approved versions are never edited. */
export async function updatePolicy(
  db: Db,
  ctx: AuthContext,
  id: string,
  input: UpdatePolicyInput,
  templateVersionId?: string | null,
) {
  const policy = await getPolicy(db, ctx.workspaceId, id);
  const versions = await listVersions(db, ctx.workspaceId, id);
  const latest = versions[versions.length - 1];
  const base = versions.find((v) => v.id === policy.activeVersionId) ?? latest;
  const content = input.content ?? base?.content ?? '';
  const now = new Date();
  return db.transaction(async (tx) => {
    if (input.name !== undefined || input.applies_to_all !== undefined) {
      await tx
        .update(policies)
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.applies_to_all !== undefined && { appliesToAll: input.applies_to_all }),
          updatedAt: now,
        })
        .where(eq(policies.id, id));
    }
    const status: PolicyVersionStatus = input.submit ? 'PENDING_APPROVAL' : 'DRAFT';
    const [v] = await tx
      .insert(policyVersions)
      .values({
        workspaceId: ctx.workspaceId,
        policyId: id,
        number: nextVersionNumber(versions.map((x) => x.number)),
        content,
        config: input.config ?? base?.config ?? {},
        contentSha256: contentSha256(content),
        changeSummary: input.change_summary ?? null,
        createdById: ctx.memberId,
        status,
        templateVersionId: templateVersionId ?? base?.templateVersionId ?? null,
        submittedAt: input.submit ? now : null,
      })
      .returning();
    if (!v) throw new Error('insert returned nothing');
    const entries: AuditEntry[] = [
      {
        action: 'POLICY_UPDATED',
        targetType: 'policy',
        targetId: id,
        oldValue: { version_id: base?.id ?? null, content_sha256: base?.contentSha256 ?? null },
        newValue: { ...input, content: undefined, version_id: v.id, number: v.number, status },
        description: `Policy "${input.name ?? policy.name}" version ${v.number} drafted`,
      },
    ];
    if (input.submit)
      entries.push({
        action: 'APPROVAL_REQUESTED',
        targetType: 'policy',
        targetId: id,
        newValue: { version_id: v.id, number: v.number },
        description: `Version ${v.number} submitted for approval`,
      });
    await audit(tx, ctx, entries);
    return v;
  });
}

/** The designated approver (settings.policyApproverId) or any member with access role APPROVER. */
export async function assertApprover(db: Executor, ctx: AuthContext): Promise<void> {
  const settings = await getSettings(db, ctx.workspaceId);
  if (ctx.role === 'APPROVER' || (settings.policyApproverId && settings.policyApproverId === ctx.memberId))
    return;
  throw new Forbidden('Only the designated policy approver may approve or reject policy versions');
}

async function pickVersion(db: Executor, ctx: AuthContext, policyId: string, versionId?: string) {
  const versions = await listVersions(db, ctx.workspaceId, policyId);
  const v = versionId
    ? versions.find((x) => x.id === versionId)
    : [...versions].reverse().find((x) => x.status === 'DRAFT' || x.status === 'PENDING_APPROVAL');
  if (!v) {
    if (versionId) throw new NotFound('Policy version', versionId);
    throw new Conflict('No DRAFT or PENDING_APPROVAL version to decide on');
  }
  return v;
}

export async function approvePolicy(
  deps: DeliveryDeps & { temporal: TemporalHandle },
  ctx: AuthContext,
  _fx: Effects,
  policyId: string,
  versionId?: string,
) {
  const { db } = deps;
  const policy = await getPolicy(db, ctx.workspaceId, policyId);
  await assertApprover(db, ctx);
  const v = await pickVersion(db, ctx, policyId, versionId);
  if (!canTransition(v.status, 'APPROVED')) throw new Conflict(`A ${v.status} version cannot be approved`);
  const now = new Date();
  const result = await db.transaction(async (tx) => {
    if (policy.activeVersionId)
      await tx
        .update(policyVersions)
        .set({ status: 'SUPERSEDED' })
        .where(eq(policyVersions.id, policy.activeVersionId));
    const [approved] = await tx
      .update(policyVersions)
      .set({ status: 'APPROVED', decidedById: ctx.memberId, decidedAt: now })
      .where(eq(policyVersions.id, v.id))
      .returning();
    await tx.update(policies).set({ activeVersionId: v.id, updatedAt: now }).where(eq(policies.id, policyId));
    await audit(tx, ctx, {
      action: 'POLICY_APPROVED',
      targetType: 'policy',
      targetId: policyId,
      oldValue: { active_version_id: policy.activeVersionId },
      newValue: { version_id: v.id, number: v.number, content_sha256: v.contentSha256 },
      description: `Policy "${policy.name}" version ${v.number} approved`,
    });
    await queueDecisionNotice(tx, deps, ctx, {
      policyId,
      policyName: policy.name,
      version: v,
      decision: 'APPROVED',
    });
    const started = await startEvent(tx, ctx, {
      type: 'POLICY_UPDATE',
      scope: { policy_ids: [policyId] },
      changedPolicyId: policyId,
    });
    return { version: approved ?? v, started };
  });
  return { version: result.version, event: result.started.event, requested: result.started.requests };
}

export async function rejectPolicy(
  deps: DeliveryDeps,
  ctx: AuthContext,
  _fx: Effects,
  policyId: string,
  input: { version_id?: string; reason: string },
) {
  const { db } = deps;
  const policy = await getPolicy(db, ctx.workspaceId, policyId);
  await assertApprover(db, ctx);
  const v = await pickVersion(db, ctx, policyId, input.version_id);
  if (v.status === 'DRAFT' || !canTransition(v.status, 'REJECTED'))
    throw new Conflict(`A ${v.status} version cannot be rejected (only PENDING_APPROVAL)`);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(policyVersions)
      .set({
        status: 'REJECTED',
        decidedById: ctx.memberId,
        decidedAt: new Date(),
        rejectionReason: input.reason,
      })
      .where(eq(policyVersions.id, v.id))
      .returning();
    await audit(tx, ctx, {
      action: 'POLICY_REJECTED',
      targetType: 'policy',
      targetId: policyId,
      newValue: { version_id: v.id, number: v.number, reason: input.reason },
      description: `Policy "${policy.name}" version ${v.number} rejected`,
    });
    await queueDecisionNotice(tx, deps, ctx, {
      policyId,
      policyName: policy.name,
      version: v,
      decision: 'REJECTED',
      reason: input.reason,
    });
    return row ?? v;
  });
}

export async function diffPolicy(
  db: Executor,
  workspaceId: string,
  policyId: string,
  from: number,
  to: number,
) {
  const versions = await listVersions(db, workspaceId, policyId);
  const a = versions.find((v) => v.number === from);
  const b = versions.find((v) => v.number === to);
  if (!a) throw new NotFound('Policy version', String(from));
  if (!b) throw new NotFound('Policy version', String(to));
  return diffVersions(a, b);
}
