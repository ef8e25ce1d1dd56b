import { READ_ALL, WRITERS } from '@vigil/kernel/auth';
import { columnsOf } from '@vigil/kernel/csv';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { freeJson, isoDate, ts } from '../api-schemas';
import { route } from '../deps';
import { AUDIT_ACTIONS } from './rules';
import { audit, listAudit, verifyChain } from './service';

const entrySchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  seq: z.number().int(),
  actor_id: z.uuid().nullable(),
  action_type: z.enum(AUDIT_ACTIONS),
  target_type: z.string(),
  target_id: z.string().nullable(),
  old_value: z.unknown(),
  new_value: z.unknown(),
  description: z.string().nullable(),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  created_at: ts,
  prev_hash: z.string(),
  hash: z.string(),
});

const T = 'Audit log';
/** Entries a CSV export reads per query. */
const CSV_PAGE = 500;

const filterOf = <Q extends { from?: string; to?: string }>(query: Q) => ({
  ...query,
  from: query.from ? new Date(query.from) : undefined,
  to: query.to ? new Date(query.to) : undefined,
});

export const auditRoutes = [
  route({
    method: 'get',
    path: '/compliance/audit-logs',
    tag: T,
    summary: 'Search the audit log (newest first)',
    roles: READ_ALL,
    query: pageQuery(500).extend({
      action_type: z.enum(AUDIT_ACTIONS).optional(),
      target_type: z.string().max(64).optional(),
      target_id: z.string().max(200).optional(),
      actor_id: z.uuid().optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
    }),
    description: `In CSV (\`Accept: text/csv\` or \`?format=csv\`), every matching entry from \`cursor\` on is streamed, newest first, read ${CSV_PAGE} at a time; \`limit\` is ignored.`,
    response: pageSchema(entrySchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listAudit(deps.db, ctx.workspaceId, filterOf(query));
      return { data: page.data.map(toJson), next_cursor: page.next_cursor };
    },
    csv: {
      columns: columnsOf(entrySchema),
      // walks the cursor pages as the client reads: memory stays at one page
      rows: async function* ({ query, ctx, deps }) {
        let cursor: string | undefined = query.cursor;
        for (;;) {
          const page = await listAudit(deps.db, ctx.workspaceId, {
            ...filterOf(query),
            limit: CSV_PAGE,
            cursor,
          });
          for (const row of page.data) yield toJson(row);
          if (!page.next_cursor) return;
          cursor = page.next_cursor;
        }
      },
    },
  }),
  route({
    method: 'get',
    path: '/compliance/audit-logs/verify',
    tag: T,
    summary: 'Recompute the hash chain and report the first broken entry',
    roles: READ_ALL,
    response: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      head_seq: z.number().int(),
      first_broken_seq: z.number().int().nullable(),
      reason: z.string().nullable(),
    }),
    handler: ({ ctx, deps }) => verifyChain(deps.db, ctx.workspaceId),
  }),
  route({
    method: 'post',
    path: '/api/audit/log',
    tag: T,
    summary: 'Record an action taken outside Vigil (the caller is the actor)',
    roles: WRITERS,
    body: z.strictObject({
      action: z.string().trim().min(1).max(100).describe('What happened, e.g. POLICY_PRINTED'),
      target_type: z.string().trim().min(1).max(64),
      target_id: z.string().max(200).optional(),
      description: z.string().max(4000).optional(),
      details: freeJson().optional(),
      occurred_at: isoDate.optional(),
    }),
    response: z.object({ ok: z.boolean() }),
    handler: async ({ body, ctx, deps }) => {
      await audit(deps.db, ctx, {
        action: 'EXTERNAL_ACTION',
        targetType: body.target_type,
        targetId: body.target_id ?? null,
        newValue: {
          action: body.action,
          details: body.details ?? null,
          occurred_at: body.occurred_at ?? null,
        },
        description: body.description ?? body.action,
      });
      return { ok: true };
    },
  }),
];
