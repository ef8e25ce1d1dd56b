import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest, NotFound } from '@vigil/kernel/errors';
import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import { reminderSuggestions } from '../reminders/schema';
import { type ParseLimits, parseUpload } from './parse';
import { planSuggestions, type StoredSuggestion } from './reanalysis';
import { analyzeRows, type ParsedRow, type Suggestion } from './rules';
import { questionnaireQuestions, questionnaires } from './schema';

export type QuestionnaireRow = typeof questionnaires.$inferSelect;
export type QuestionRow = typeof questionnaireQuestions.$inferSelect;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const XLS_MIME = 'application/vnd.ms-excel';

export interface UploadInput {
  fileName: string;
  mimeType: string;
  data: Buffer;
  name?: string;
}

/**
 * Parses the upload in a worker thread, within `limits`, then stores its rows (not its
 * bytes), audited, in one transaction. Nothing is written for a file that breaks a limit.
 */
export async function uploadQuestionnaire(db: Db, ctx: AuthContext, input: UploadInput, limits: ParseLimits) {
  const { rows, sha256 } = await parseUpload(input.data, limits);
  const questionCount = rows.filter((r) => r.kind === 'QUESTION').length;
  return db.transaction(async (tx) => {
    const [q] = await tx
      .insert(questionnaires)
      .values({
        workspaceId: ctx.workspaceId,
        name: input.name ?? input.fileName.replace(/\.(xlsx|xls)$/i, ''),
        fileName: input.fileName,
        mimeType: input.mimeType,
        sizeBytes: input.data.length,
        sha256,
        uploadedById: ctx.via === 'SYSTEM' ? null : ctx.memberId,
        questionCount,
      })
      .returning();
    if (!q) throw new Error('questionnaire insert returned nothing');
    const values = rows.map((r) => ({ ...r, workspaceId: ctx.workspaceId, questionnaireId: q.id }));
    for (let i = 0; i < values.length; i += 1000) {
      await tx.insert(questionnaireQuestions).values(values.slice(i, i + 1000));
    }
    await audit(tx, ctx, {
      action: 'QUESTIONNAIRE_UPLOADED',
      targetType: 'questionnaire',
      targetId: q.id,
      newValue: { file_name: q.fileName, size_bytes: q.sizeBytes, sha256, question_count: questionCount },
    });
    return q;
  });
}

export async function getQuestionnaire(db: Executor, ws: string, id: string): Promise<QuestionnaireRow> {
  const [row] = await db
    .select()
    .from(questionnaires)
    .where(
      and(eq(questionnaires.workspaceId, ws), eq(questionnaires.id, id), isNull(questionnaires.deletedAt)),
    );
  if (!row) throw new NotFound('Questionnaire', id);
  return row;
}

export async function listQuestionnaires(db: Executor, ws: string, f: { limit: number; cursor?: string }) {
  const where = [eq(questionnaires.workspaceId, ws), isNull(questionnaires.deletedAt)];
  if (f.cursor) where.push(lt(questionnaires.id, f.cursor));
  return db
    .select()
    .from(questionnaires)
    .where(and(...where))
    .orderBy(desc(questionnaires.id))
    .limit(f.limit + 1);
}

/**
 * One page of the parsed rows in sheet and row order: `limit + 1` rows (for toPage) after
 * the row whose id is `cursor`. The cursor stays a row id like other lists', but the order
 * is (sheet, row_number, id), so the page starts after the cursor row's position; a cursor
 * that is not a row of this questionnaire is a 400 naming query.cursor.
 */
export async function listQuestions(
  db: Executor,
  ws: string,
  id: string,
  f: { limit: number; cursor?: string },
): Promise<QuestionRow[]> {
  await getQuestionnaire(db, ws, id);
  const q = questionnaireQuestions;
  const where = [eq(q.workspaceId, ws), eq(q.questionnaireId, id)];
  if (f.cursor) {
    const [after] = await db
      .select({ sheet: q.sheet, rowNumber: q.rowNumber })
      .from(q)
      .where(and(eq(q.workspaceId, ws), eq(q.questionnaireId, id), eq(q.id, f.cursor)));
    if (!after) {
      const message = 'Not a row of this questionnaire; pass next_cursor from the previous page';
      throw new BadRequest(`query.cursor: ${message}`, [{ field: 'query.cursor', message }]);
    }
    where.push(
      sql`(${q.sheet}, ${q.rowNumber}, ${q.id}) > (${after.sheet}::text, ${after.rowNumber}::integer, ${f.cursor}::uuid)`,
    );
  }
  return db
    .select()
    .from(q)
    .where(and(...where))
    .orderBy(asc(q.sheet), asc(q.rowNumber), asc(q.id))
    .limit(f.limit + 1);
}

const toParsed = (r: QuestionRow): ParsedRow => ({
  sheet: r.sheet,
  rowNumber: r.rowNumber,
  questionId: r.questionId,
  text: r.text,
  answer: r.answer,
  domain: r.domain,
  isHeader: r.isHeader,
  kind: r.kind,
});

export interface AnalyzeResult {
  suggestions_count: number;
  skipped_count: number;
  domains: Record<string, number>;
  skip_summary: { duplicates: number; negatives: number; blanks: number; headers: number };
}

const suggestionColumns = (s: Suggestion) => ({
  questionId: s.questionId,
  suggestedTitle: s.title,
  suggestedDescription: s.description,
  suggestedCategory: s.category,
  suggestedFrequency: s.frequency,
  suggestedDomain: s.domain,
  confidenceScore: s.confidence,
});

const storedSuggestion = (r: typeof reminderSuggestions.$inferSelect): StoredSuggestion => ({
  id: r.id,
  questionId: r.questionId,
  status: r.status,
  title: r.suggestedTitle,
  description: r.suggestedDescription ?? '',
  category: r.suggestedCategory as Suggestion['category'],
  frequency: r.suggestedFrequency as Suggestion['frequency'],
  domain: r.suggestedDomain ?? '',
  confidence: r.confidenceScore ?? 0,
});

/**
 * Turns the questions into PENDING reminder suggestions. Idempotent, and stable: a
 * question's pending suggestion keeps its id across re-analysis (updated in place if its
 * proposal changed), only pending suggestions of questions no longer suggested are removed,
 * and accepted or rejected ones are never touched nor suggested again (see planSuggestions).
 */
export async function analyzeQuestionnaire(db: Db, ctx: AuthContext, id: string): Promise<AnalyzeResult> {
  return db.transaction(async (tx) => {
    const [q] = await tx
      .select()
      .from(questionnaires)
      .where(
        and(
          eq(questionnaires.workspaceId, ctx.workspaceId),
          eq(questionnaires.id, id),
          isNull(questionnaires.deletedAt),
        ),
      )
      .for('update');
    if (!q) throw new NotFound('Questionnaire', id);
    const rows = await tx
      .select()
      .from(questionnaireQuestions)
      .where(eq(questionnaireQuestions.questionnaireId, id))
      .orderBy(asc(questionnaireQuestions.sheet), asc(questionnaireQuestions.rowNumber));
    const analysis = analyzeRows(rows.map(toParsed));
    const mine = and(
      eq(reminderSuggestions.workspaceId, ctx.workspaceId),
      eq(reminderSuggestions.questionnaireResponseId, id),
    );
    // Locked, so a concurrent accept or reject either lands first (and is seen as decided) or waits.
    const stored = await tx
      .select()
      .from(reminderSuggestions)
      .where(mine)
      .orderBy(asc(reminderSuggestions.id))
      .for('update');
    const plan = planSuggestions(stored.map(storedSuggestion), analysis.suggestions);
    const stillPending = (ids: string[]) =>
      and(mine, inArray(reminderSuggestions.id, ids), eq(reminderSuggestions.status, 'PENDING'));
    if (plan.remove.length) await tx.delete(reminderSuggestions).where(stillPending(plan.remove));
    const now = new Date();
    for (const u of plan.update)
      await tx
        .update(reminderSuggestions)
        .set({ ...suggestionColumns(u.suggestion), updatedAt: now })
        .where(stillPending([u.id]));
    for (let i = 0; i < plan.insert.length; i += 1000) {
      await tx.insert(reminderSuggestions).values(
        plan.insert.slice(i, i + 1000).map((s) => ({
          ...suggestionColumns(s),
          workspaceId: ctx.workspaceId,
          questionnaireResponseId: id,
          status: 'PENDING',
        })),
      );
    }
    await tx
      .update(questionnaires)
      .set({ status: 'ANALYZED', analyzedAt: now })
      .where(eq(questionnaires.id, id));
    const result: AnalyzeResult = {
      suggestions_count: analysis.suggestions.length,
      skipped_count: analysis.skippedCount,
      domains: analysis.domains,
      skip_summary: analysis.skipSummary,
    };
    await audit(tx, ctx, {
      action: 'QUESTIONNAIRE_ANALYZED',
      targetType: 'questionnaire',
      targetId: id,
      oldValue: { status: q.status },
      newValue: {
        ...result,
        already_decided: plan.decided,
        kept: plan.keep.length,
        updated: plan.update.length,
        added: plan.insert.length,
        removed: plan.remove.length,
      },
    });
    return result;
  });
}

/**
 * Soft-deletes the questionnaire (deleted_at) and hard-deletes its parsed
 * questions and still-PENDING suggestions. Accepted and rejected suggestions,
 * and the reminders created from them, stay, still pointing at the questionnaire id.
 */
export async function deleteQuestionnaire(db: Db, ctx: AuthContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const q = await getQuestionnaire(tx, ctx.workspaceId, id);
    await tx.delete(questionnaireQuestions).where(eq(questionnaireQuestions.questionnaireId, id));
    const dropped = await tx
      .delete(reminderSuggestions)
      .where(
        and(
          eq(reminderSuggestions.workspaceId, ctx.workspaceId),
          eq(reminderSuggestions.questionnaireResponseId, id),
          eq(reminderSuggestions.status, 'PENDING'),
        ),
      )
      .returning({ id: reminderSuggestions.id });
    await tx.update(questionnaires).set({ deletedAt: new Date() }).where(eq(questionnaires.id, id));
    await audit(tx, ctx, {
      action: 'QUESTIONNAIRE_DELETED',
      targetType: 'questionnaire',
      targetId: id,
      oldValue: { name: q.name, file_name: q.fileName, status: q.status, question_count: q.questionCount },
      newValue: { pending_suggestions_removed: dropped.length },
    });
  });
}
