import { type AuthContext, systemContext } from '@vigil/kernel/auth';
import { Conflict, NotFound } from '@vigil/kernel/errors';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import { contentSha256 } from './rules';
import {
  policies,
  policyTemplates,
  policyTemplateVersions,
  policyUpgradePrompts,
  policyVersions,
} from './schema';
import { loadDefaultTemplates } from './templates';

let seeded: Promise<void> | null = null;

/** Seeds the shipped templates once per process; idempotent across processes (unique key and hash). */
export function ensureTemplates(db: Db): Promise<void> {
  seeded ??= seedTemplates(db).catch((err) => {
    seeded = null;
    throw err;
  });
  return seeded;
}

async function seedTemplates(db: Db): Promise<void> {
  for (const t of loadDefaultTemplates()) {
    await db.transaction(async (tx) => {
      await tx.insert(policyTemplates).values({ key: t.key, name: t.name }).onConflictDoNothing();
      const [tpl] = await tx.select().from(policyTemplates).where(eq(policyTemplates.key, t.key));
      if (!tpl) return;
      await tx
        .insert(policyTemplateVersions)
        .values({
          templateId: tpl.id,
          version: t.version,
          content: t.content,
          config: t.config as unknown as Record<string, unknown>,
          contentSha256: contentSha256(t.content),
        })
        .onConflictDoNothing();
    });
  }
}

export async function listTemplates(db: Db) {
  await ensureTemplates(db);
  const tpls = await db.select().from(policyTemplates).orderBy(asc(policyTemplates.key));
  const versions = await db
    .select()
    .from(policyTemplateVersions)
    .orderBy(desc(policyTemplateVersions.version));
  return tpls.map((t) => ({ template: t, latest: versions.find((v) => v.templateId === t.id) ?? null }));
}

export async function templateVersions(db: Db, id: string) {
  await ensureTemplates(db);
  const [tpl] = await db.select().from(policyTemplates).where(eq(policyTemplates.id, id));
  if (!tpl) throw new NotFound('Policy template', id);
  return db
    .select()
    .from(policyTemplateVersions)
    .where(eq(policyTemplateVersions.templateId, id))
    .orderBy(asc(policyTemplateVersions.version));
}

/**
 * Publishes a new version of a template (admin CLI) and prompts every workspace whose
 * policy derives from an older version of it. Same content as an existing version: 409.
 */
export async function publishTemplateVersion(
  db: Db,
  key: string,
  content: string,
  config?: Record<string, unknown>,
) {
  await ensureTemplates(db);
  const [tpl] = await db.select().from(policyTemplates).where(eq(policyTemplates.key, key));
  if (!tpl) throw new NotFound('Policy template', key);
  const sha = contentSha256(content);
  return db.transaction(async (tx) => {
    const [latest] = await tx
      .select()
      .from(policyTemplateVersions)
      .where(eq(policyTemplateVersions.templateId, tpl.id))
      .orderBy(desc(policyTemplateVersions.version))
      .limit(1);
    const [row] = await tx
      .insert(policyTemplateVersions)
      .values({
        templateId: tpl.id,
        version: (latest?.version ?? 0) + 1,
        content,
        config: config ?? latest?.config ?? {},
        contentSha256: sha,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict('This content is already a version of the template');
    const derived = await tx.select().from(policies).where(eq(policies.templateId, tpl.id));
    const prompts = [];
    for (const p of derived) {
      const [v] = await tx
        .select({ templateVersionId: policyVersions.templateVersionId })
        .from(policyVersions)
        .where(eq(policyVersions.policyId, p.id))
        .orderBy(desc(policyVersions.number))
        .limit(1);
      if (v?.templateVersionId === row.id) continue;
      const [prompt] = await tx
        .insert(policyUpgradePrompts)
        .values({
          workspaceId: p.workspaceId,
          policyId: p.id,
          fromTemplateVersionId: v?.templateVersionId ?? null,
          toTemplateVersionId: row.id,
        })
        .onConflictDoNothing()
        .returning();
      if (!prompt) continue;
      prompts.push(prompt);
      await audit(tx, systemContext(p.workspaceId), {
        action: 'TEMPLATE_UPGRADE_PROMPTED',
        targetType: 'policy',
        targetId: p.id,
        newValue: { prompt_id: prompt.id, template_key: key, template_version: row.version },
        description: `Template "${tpl.name}" version ${row.version} is available for policy "${p.name}"`,
      });
    }
    return { version: row, prompts };
  });
}

export async function listUpgradePrompts(db: Executor, workspaceId: string, status?: string) {
  const where = [eq(policyUpgradePrompts.workspaceId, workspaceId)];
  if (status) where.push(eq(policyUpgradePrompts.status, status as 'PENDING'));
  return db
    .select()
    .from(policyUpgradePrompts)
    .where(and(...where))
    .orderBy(asc(policyUpgradePrompts.id));
}

/** The template version numbers a list of prompts moves between, by version id. */
export async function promptVersionNumbers(
  db: Executor,
  prompts: Array<{ fromTemplateVersionId: string | null; toTemplateVersionId: string }>,
): Promise<Map<string, number>> {
  const ids = [
    ...new Set(
      prompts.flatMap((p) => [
        p.toTemplateVersionId,
        ...(p.fromTemplateVersionId ? [p.fromTemplateVersionId] : []),
      ]),
    ),
  ];
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: policyTemplateVersions.id, version: policyTemplateVersions.version })
    .from(policyTemplateVersions)
    .where(inArray(policyTemplateVersions.id, ids));
  return new Map(rows.map((r) => [r.id, r.version]));
}

export async function getPrompt(db: Executor, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(policyUpgradePrompts)
    .where(and(eq(policyUpgradePrompts.workspaceId, workspaceId), eq(policyUpgradePrompts.id, id)));
  if (!row) throw new NotFound('Policy upgrade prompt', id);
  if (row.status !== 'PENDING') throw new Conflict(`Prompt is already ${row.status}`);
  return row;
}

export async function resolvePrompt(
  db: Executor,
  ctx: AuthContext,
  id: string,
  status: 'ACCEPTED' | 'DISMISSED',
) {
  const [row] = await db
    .update(policyUpgradePrompts)
    .set({ status, resolvedById: ctx.memberId, resolvedAt: new Date() })
    .where(
      and(
        eq(policyUpgradePrompts.workspaceId, ctx.workspaceId),
        eq(policyUpgradePrompts.id, id),
        eq(policyUpgradePrompts.status, 'PENDING'),
      ),
    )
    .returning();
  if (!row) throw new Conflict('Prompt is no longer pending');
  return row;
}

export async function templateVersionContent(db: Executor, id: string) {
  const [row] = await db.select().from(policyTemplateVersions).where(eq(policyTemplateVersions.id, id));
  if (!row) throw new NotFound('Policy template version', id);
  return row;
}
