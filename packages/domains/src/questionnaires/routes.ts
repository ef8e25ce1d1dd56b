import { MANAGERS } from '@vigil/kernel/auth';
import { AppError } from '@vigil/kernel/errors';
import { mediaTypeOf, readMultipart } from '@vigil/kernel/multipart';
import { pageQuery, pageSchema, toPage } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { nullableTs, okSchema, ts, wsIdParam, wsParam } from '../api-schemas';
import { route } from '../deps';
import { limitError, parseLimits } from './parse';
import { sniffSpreadsheet } from './rules';
import { QUESTION_KINDS, QUESTIONNAIRE_STATUSES } from './schema';
import {
  analyzeQuestionnaire,
  deleteQuestionnaire,
  getQuestionnaire,
  listQuestionnaires,
  listQuestions,
  uploadQuestionnaire,
  XLS_MIME,
  XLSX_MIME,
} from './service';

const T = 'Questionnaires';
const base = '/workspaces/:ws/questionnaires';

export const questionnaireSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  file_name: z.string(),
  mime_type: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  status: z.enum(QUESTIONNAIRE_STATUSES),
  uploaded_by_id: z.uuid().nullable(),
  question_count: z.number().int(),
  analyzed_at: nullableTs,
  created_at: ts,
});

export const questionSchema = z.object({
  id: z.uuid(),
  questionnaire_id: z.uuid(),
  sheet: z.string(),
  row_number: z.number().int(),
  question_id: z.string().nullable(),
  text: z.string(),
  answer: z.string().nullable(),
  domain: z.string().nullable(),
  is_header: z.boolean(),
  kind: z.enum(QUESTION_KINDS),
});

export const analyzeSchema = z.object({
  suggestions_count: z.number().int(),
  skipped_count: z.number().int(),
  domains: z.record(z.string(), z.number().int()).describe('Suggestions per domain'),
  skip_summary: z.object({
    duplicates: z.number().int(),
    negatives: z.number().int(),
    blanks: z.number().int(),
    headers: z.number().int(),
  }),
});

const uploadQuery = z.object({
  filename: z
    .string()
    .min(1)
    .max(255)
    .regex(/\.(xlsx|xls)$/i, 'must end in .xlsx or .xls')
    .optional(),
  name: z.string().trim().min(1).max(200).optional(),
});

const fileError = (status: number, title: string, message: string) =>
  new AppError(status, title, message, [{ field: 'file', message }]);

/** 413 with the connection closed: the rest of the body is discarded unread. */
function tooLarge(res: Response, limit: number): AppError {
  res.setHeader('Connection', 'close');
  return limitError('UPLOAD_LIMIT_BYTES', `The upload exceeds ${limit} bytes`);
}

/** Refuses (413) a body that declares more than `limit` bytes, before reading any of it. */
function checkDeclared(req: Request, res: Response, limit: number): void {
  const declared = Number(req.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(res, limit);
}

/** Reads the request stream into memory, refusing (413) past `limit` bytes whether or not Content-Length says so. */
async function readBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  checkDeclared(req, res, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw tooLarge(res, limit);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** The `file` part of a multipart body, in memory up to `limit` bytes; other parts are skipped. */
async function readFilePart(req: Request, res: Response, limit: number) {
  // the envelope adds a few hundred bytes around the file
  const maxBodyBytes = limit + 16 * 1024;
  checkDeclared(req, res, maxBodyBytes);
  let part: { filename: string | null; data: Buffer } | null = null;
  await readMultipart(req, res, {
    field: 'file',
    maxFileBytes: limit,
    maxBodyBytes,
    tooLarge: () => tooLarge(res, limit),
    otherParts: 'ignore',
    onFile: async ({ filename, stream }) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      part = { filename, data: Buffer.concat(chunks) };
    },
  });
  return part as { filename: string | null; data: Buffer } | null;
}

export const questionnaireRoutes = [
  route({
    method: 'post',
    path: `${base}/upload`,
    tag: T,
    summary: 'Upload an Excel questionnaire (.xlsx/.xls, max 10 MB); its rows are parsed and stored',
    description:
      'Send the file either as the raw body with Content-Type ' +
      `${XLSX_MIME} or ${XLS_MIME} and the file name in ?filename=, or as multipart/form-data with ` +
      'the file in the `file` part (the first file part named `file` is taken, other parts are skipped). ' +
      'Only the parsed rows and a sha256 of the bytes are kept, not the file. The file is parsed in ' +
      'a worker thread. Refused as problem+json naming `file`, with the limit in `code`: bodies over ' +
      'UPLOAD_LIMIT_BYTES, and .xlsx files whose zip entries would unzip to more than ' +
      'QUESTIONNAIRE_MAX_UNZIPPED_BYTES (summed from the zip directory before anything is inflated), ' +
      'with 413; more than QUESTIONNAIRE_MAX_SHEETS sheets, QUESTIONNAIRE_MAX_ROWS rows in all, a cell ' +
      'longer than QUESTIONNAIRE_MAX_CELL_CHARS characters, a parse longer than ' +
      'QUESTIONNAIRE_PARSE_TIMEOUT_MS or needing more than QUESTIONNAIRE_PARSE_MEMORY_MB of heap, with ' +
      '422. Other media types answer 415; bytes that are not a spreadsheet 400.',
    roles: MANAGERS,
    params: wsParam,
    query: uploadQuery,
    bodyType: 'raw',
    response: questionnaireSchema,
    handler: async ({ query, ctx, deps, req, res }) => {
      const mime = mediaTypeOf(req);
      const limit = deps.config.UPLOAD_LIMIT_BYTES;
      let data: Buffer;
      let fileName: string | null = query.filename ?? null;
      if (mime === XLSX_MIME || mime === XLS_MIME) {
        data = await readBody(req, res, limit);
      } else if (mime === 'multipart/form-data') {
        const part = await readFilePart(req, res, limit);
        if (!part) throw fileError(400, 'Bad Request', 'The multipart body has no `file` part');
        data = part.data;
        fileName = fileName ?? part.filename;
      } else {
        throw fileError(
          415,
          'Unsupported Media Type',
          `Send the file as ${XLSX_MIME}, ${XLS_MIME} or multipart/form-data`,
        );
      }
      if (data.length === 0) throw fileError(400, 'Bad Request', 'The file is empty');
      const format = sniffSpreadsheet(data);
      if (!format) throw fileError(400, 'Bad Request', 'The file is not an .xlsx or .xls spreadsheet');
      if (fileName && !/\.(xlsx|xls)$/i.test(fileName)) {
        throw fileError(400, 'Bad Request', 'The file name must end in .xlsx or .xls');
      }
      const row = await uploadQuestionnaire(
        deps.db,
        ctx,
        {
          fileName: fileName ?? `questionnaire.${format}`,
          mimeType: format === 'xlsx' ? XLSX_MIME : XLS_MIME,
          data,
          name: query.name,
        },
        parseLimits(deps.config),
      );
      const { deletedAt: _deleted, ...shown } = row;
      return toJson(shown);
    },
  }),
  route({
    method: 'post',
    path: `${base}/:id/analyze`,
    tag: T,
    summary: 'Analyze: drop noise, cluster by domain and create PENDING reminder suggestions (idempotent)',
    roles: MANAGERS,
    status: 200,
    params: wsIdParam,
    response: analyzeSchema,
    handler: async ({ params, ctx, deps }) => analyzeQuestionnaire(deps.db, ctx, params.id),
  }),
  route({
    method: 'get',
    path: `${base}`,
    tag: T,
    summary: 'List questionnaires (newest first)',
    params: wsParam,
    query: pageQuery(),
    response: pageSchema(questionnaireSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = toPage(await listQuestionnaires(deps.db, ctx.workspaceId, query), query.limit);
      return {
        data: page.data.map(({ deletedAt: _d, ...r }) => toJson(r)),
        next_cursor: page.next_cursor,
      };
    },
  }),
  route({
    method: 'get',
    path: `${base}/:id`,
    tag: T,
    summary: 'Questionnaire metadata',
    params: wsIdParam,
    response: questionnaireSchema,
    handler: async ({ params, ctx, deps }) => {
      const { deletedAt: _d, ...r } = await getQuestionnaire(deps.db, ctx.workspaceId, params.id);
      return toJson(r);
    },
  }),
  route({
    method: 'get',
    path: `${base}/:id/questions`,
    tag: T,
    summary: 'Parsed rows (questions, headers and blanks) in sheet and row order, a page at a time',
    description:
      'Cursor paging like the other lists: `limit` rows (default 50, at most 500) and `next_cursor`, ' +
      'to pass as `cursor` for the next page (null on the last page).',
    params: wsIdParam,
    query: pageQuery(500),
    response: pageSchema(questionSchema),
    handler: async ({ params, query, ctx, deps }) => {
      const page = toPage(await listQuestions(deps.db, ctx.workspaceId, params.id, query), query.limit);
      return {
        data: page.data.map(({ workspaceId: _w, createdAt: _c, ...r }) => toJson(r)),
        next_cursor: page.next_cursor,
      };
    },
  }),
  route({
    method: 'delete',
    path: `${base}/:id`,
    tag: T,
    summary: 'Delete a questionnaire: its questions and pending suggestions go; accepted reminders stay',
    roles: MANAGERS,
    status: 200,
    params: wsIdParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await deleteQuestionnaire(deps.db, ctx, params.id);
      return { ok: true };
    },
  }),
];
