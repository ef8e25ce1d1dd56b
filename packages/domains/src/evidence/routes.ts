// HTTP operations of evidence packs, under /compliance/evidence-packs (the workspace is the token's).
import { READ_ALL } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { z } from 'zod';
import { isoDate, ts } from '../api-schemas';
import { route } from '../deps';
import { PACK_SECTIONS, PACK_STATUSES } from './rules';
import { getPack, listPacks, packJson, requestPack } from './service';

const T = 'Evidence packs';
const base = '/compliance/evidence-packs';

const packSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  requested_by_id: z.uuid().nullable(),
  from: ts,
  to: ts,
  include: z.array(z.enum(PACK_SECTIONS)),
  status: z.enum(PACK_STATUSES),
  progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
  size_bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
  download_url: z.string().nullable().describe('Presigned GET of the zip (15 minutes), when READY'),
  started_at: ts.nullable(),
  completed_at: ts.nullable(),
  created_at: ts,
  updated_at: ts,
});

export const evidenceRoutes = [
  route({
    method: 'post',
    path: base,
    tag: T,
    summary: 'Request an evidence pack for a period (written to S3 by a workflow)',
    description:
      'Admins and auditors. Answers 202 with the PENDING pack; the evidence_pack/<id> workflow writes one zip ' +
      '(manifest.json with every file’s sha256, policies and approvals, acknowledgements, training, ' +
      'certifications, completed reminders with their evidence files, escalations, the audit log with its ' +
      'chain proof, README.txt). Poll GET .../{id} until READY. `from` is inclusive, `to` exclusive.',
    roles: READ_ALL,
    status: 202,
    body: z.strictObject({
      from: isoDate,
      to: isoDate,
      include: z.array(z.enum(PACK_SECTIONS)).min(1).max(PACK_SECTIONS.length).optional(),
    }),
    response: packSchema,
    handler: async ({ body, ctx, deps }) =>
      packJson(await requestPack(deps.db, deps.config, ctx, body), deps.config),
  }),
  route({
    method: 'get',
    path: base,
    tag: T,
    summary: 'List evidence packs (newest first)',
    roles: READ_ALL,
    query: pageQuery(200),
    response: pageSchema(packSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listPacks(deps.db, ctx.workspaceId, query);
      return {
        data: await Promise.all(page.data.map((r) => packJson(r, deps.config))),
        next_cursor: page.next_cursor,
      };
    },
  }),
  route({
    method: 'get',
    path: `${base}/:id`,
    tag: T,
    summary: 'An evidence pack: status, progress, size, sha256 and, when READY, its download URL',
    roles: READ_ALL,
    params: z.object({ id: z.uuid() }),
    response: packSchema,
    handler: async ({ params, ctx, deps }) =>
      packJson(await getPack(deps.db, ctx.workspaceId, params.id), deps.config),
  }),
];
