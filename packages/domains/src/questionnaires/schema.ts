// Tables of the questionnaires domain. Only parsed rows are stored: the uploaded
// file's bytes are hashed (sha256) and discarded once parsed.
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../columns';
import type { QuestionKind } from './rules';

export const QUESTIONNAIRE_STATUSES = ['UPLOADED', 'ANALYZED'] as const;
export type QuestionnaireStatus = (typeof QUESTIONNAIRE_STATUSES)[number];
export const QUESTION_KINDS = ['QUESTION', 'HEADER', 'BLANK'] as const;

/**
 * DELETE is a soft delete (deleted_at): the row stays so reminder_suggestions'
 * questionnaire_response_id and reminders' source_id keep pointing at it; its
 * parsed questions are removed and reads treat it as gone (404).
 */
export const questionnaires = pgTable(
  'questionnaires',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    status: text('status').$type<QuestionnaireStatus>().notNull().default('UPLOADED'),
    uploadedById: uuid('uploaded_by_id'),
    questionCount: integer('question_count').notNull().default(0),
    analyzedAt: tstz('analyzed_at'),
    deletedAt: tstz('deleted_at'),
    createdAt: createdAt(),
  },
  (t) => [index('questionnaires_ws_idx').on(t.workspaceId, t.id)],
);

export const questionnaireQuestions = pgTable(
  'questionnaire_questions',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    questionnaireId: uuid('questionnaire_id')
      .notNull()
      .references(() => questionnaires.id, { onDelete: 'cascade' }),
    sheet: text('sheet').notNull(),
    rowNumber: integer('row_number').notNull(),
    questionId: text('question_id'),
    text: text('text').notNull(),
    answer: text('answer'),
    domain: text('domain'),
    isHeader: boolean('is_header').notNull().default(false),
    kind: text('kind').$type<QuestionKind>().notNull().default('QUESTION'),
    createdAt: createdAt(),
  },
  (t) => [index('questionnaire_questions_q_idx').on(t.questionnaireId, t.sheet, t.rowNumber)],
);
