import { ADMINS, MANAGERS, WRITERS } from '@vigil/kernel/auth';
import { pageQuery } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  futureIsoDate,
  idParam,
  isoDate,
  isoDuration,
  nullableTs,
  qbool,
  READ_SCOPE_TEXT,
  ts,
} from '../api-schemas';
import type { AppDeps } from '../deps';
import { route, withEffects } from '../deps';
import { getSettings } from '../people/access';
import { canReadMember } from '../people/visibility';
import { changeHeld, issueHeld } from './lifecycle';
import { certComputed, expiringWindowMs } from './rules';
import { CERT_STATUSES, certifications } from './schema';
import { createCert, type HeldRow, listCerts, listHeld, missingRequired, updateCert } from './service';

const url = z.url().max(2000);
const certBody = z.strictObject({
  name: z.string().trim().min(1).max(300),
  issuing_authority: z.string().max(300).nullable().optional(),
  description: z.string().max(10000).nullable().optional(),
  validity_months: z.number().int().min(1).max(600).nullable().optional().describe('null = never expires'),
  renewal_required: z.boolean().optional(),
  category: z.string().max(100).nullable().optional(),
  skill_tags: z.array(z.string().min(1).max(100)).max(100).optional(),
  prerequisites: z.array(z.uuid()).max(50).optional().describe('Ids of certifications required first'),
  is_required: z.boolean().optional(),
  external_url: url.nullable().optional(),
  logo_url: url.nullable().optional(),
  expiring_soon_offset: isoDuration
    .nullable()
    .optional()
    .describe(
      'Overrides settings.cert_expiring_days for EXPIRING_SOON (ISO duration, e.g. P60D); null = setting',
    ),
});
const certSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  issuing_authority: z.string().nullable(),
  description: z.string().nullable(),
  validity_months: z.number().int().nullable(),
  renewal_required: z.boolean(),
  category: z.string().nullable(),
  skill_tags: z.array(z.string()),
  prerequisites: z.array(z.uuid()),
  is_required: z.boolean(),
  external_url: z.string().nullable(),
  logo_url: z.string().nullable(),
  expiring_soon_offset: z.string().nullable(),
  created_at: ts,
  updated_at: ts,
});
const holderStats = z.object({
  holders: z.number().int(),
  active: z.number().int(),
  expiring_soon: z.number().int(),
  expired: z.number().int(),
  revoked: z.number().int(),
  missing_required_count: z.number().int(),
  missing_required_developer_ids: z.array(z.uuid()),
});
const missingSchema = z.array(z.object({ certification_id: z.uuid(), name: z.string() }));
const heldSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  developer_id: z.uuid(),
  certification_id: z.uuid(),
  issued_date: ts,
  expiry_date: nullableTs,
  status: z.enum(CERT_STATUSES),
  credential_id: z.string().nullable(),
  verification_url: z.string().nullable(),
  certificate_url: z.string().nullable(),
  verified_at: nullableTs,
  verified_by_id: z.uuid().nullable(),
  score: z.number().nullable(),
  renewal_reminder_sent_at: nullableTs,
  revoked_at: nullableTs,
  revoke_reason: z.string().nullable(),
  current_escalation_level: z.string().nullable(),
  days_until_expiry: z.number().int().nullable(),
  is_expired: z.boolean(),
  is_expiring_soon: z.boolean(),
  created_at: ts,
  updated_at: ts,
});
const heldOne = heldSchema.extend({ missing_required: missingSchema });
const heldBody = z.strictObject({
  developer_id: z.uuid(),
  certification_id: z.uuid(),
  issued_date: isoDate.optional().describe('Default now'),
  expiry_date: isoDate
    .nullable()
    .optional()
    .describe('Default issued_date + validity_months (full ISO timestamp)'),
  credential_id: z.string().max(300).nullable().optional(),
  verification_url: url.nullable().optional(),
  certificate_url: url.nullable().optional(),
  score: z.number().min(0).max(100000).nullable().optional(),
});

async function heldJson(deps: AppDeps, rows: HeldRow[]) {
  const now = new Date();
  const settings = rows[0] ? await getSettings(deps.db, rows[0].workspaceId) : null;
  const defs = new Map<string, string | null>();
  for (const r of rows) {
    if (defs.has(r.certificationId)) continue;
    const [c] = await deps.db
      .select({ o: certifications.expiringSoonOffset })
      .from(certifications)
      .where(eq(certifications.id, r.certificationId));
    defs.set(r.certificationId, c?.o ?? null);
  }
  return rows.map((r) => {
    const { ladder: _l, ...rest } = r;
    const win = expiringWindowMs(defs.get(r.certificationId) ?? null, settings?.certExpiringDays ?? 30);
    return { ...toJson(rest), ...certComputed(r, win, now) };
  });
}
const oneJson = async (deps: AppDeps, row: HeldRow) => ({
  ...(await heldJson(deps, [row]))[0],
  missing_required: await missingRequired(deps.db, row.workspaceId, row.developerId),
});

const T = 'Certifications';
export const certificationRoutes = [
  route({
    method: 'post',
    path: '/compliance/certifications',
    tag: T,
    summary: 'Define a certification',
    roles: ADMINS,
    body: certBody,
    response: certSchema,
    handler: async ({ body, ctx, deps }) => toJson(await createCert(deps.db, ctx, body)),
  }),
  route({
    method: 'get',
    path: '/compliance/certifications',
    tag: T,
    summary: 'List certification definitions with holder stats',
    description:
      'For a required certification, missing_required_count counts the active members of the workspace holding no ACTIVE or EXPIRING_SOON copy, and missing_required_developer_ids lists those the caller may read (first 1,000): everyone for admins, approvers and auditors; for others themselves, the people they manage and the members of the teams they lead.',
    response: z.object({ data: z.array(certSchema.extend({ stats: holderStats })) }),
    handler: async ({ ctx, deps }) => ({
      data: (await listCerts(deps.db, ctx)).map((r) => ({ ...toJson(r.cert), stats: r.stats })),
    }),
  }),
  route({
    method: 'patch',
    path: '/compliance/certifications/:id',
    tag: T,
    summary: 'Update a certification definition',
    roles: ADMINS,
    params: idParam,
    body: certBody.partial(),
    response: certSchema,
    handler: async ({ params, body, ctx, deps }) => toJson(await updateCert(deps.db, ctx, params.id, body)),
  }),
  route({
    method: 'post',
    path: '/compliance/developer-certifications',
    tag: T,
    summary:
      'Record a certification a member holds (a member for themselves; managers and admins for anyone)',
    roles: WRITERS,
    body: heldBody,
    response: heldOne,
    handler: async ({ body, ctx, deps }) =>
      oneJson(deps, await withEffects(deps, () => issueHeld(deps.db, ctx, body))),
  }),
  route({
    method: 'get',
    path: '/compliance/developer-certifications',
    tag: T,
    summary: 'List held certifications (admins, approvers, auditors: all; others: own, managed and led)',
    description: `With developer_id, missing_required lists the required certifications that member lacks (omitted when the member is outside the caller’s scope). ${READ_SCOPE_TEXT}`,
    query: pageQuery(500).extend({
      certification_id: z.uuid().optional(),
      developer_id: z.uuid().optional(),
      status: z.enum(CERT_STATUSES).optional(),
      expiring_soon: qbool.optional(),
    }),
    response: z.object({
      data: z.array(heldSchema),
      next_cursor: z.string().nullable(),
      missing_required: missingSchema.optional(),
    }),
    handler: async ({ query, ctx, deps }) => {
      const page = await listHeld(deps.db, ctx, query);
      return {
        data: await heldJson(deps, page.data),
        next_cursor: page.next_cursor,
        ...(query.developer_id &&
          (await canReadMember(deps.db, ctx, query.developer_id)) && {
            missing_required: await missingRequired(deps.db, ctx.workspaceId, query.developer_id),
          }),
      };
    },
  }),
  route({
    method: 'patch',
    path: '/compliance/developer-certifications/:id',
    tag: T,
    summary: 'Update a held certification’s details',
    roles: WRITERS,
    params: idParam,
    body: heldBody.omit({ developer_id: true, certification_id: true }).partial(),
    response: heldOne,
    handler: async ({ params, body, ctx, deps }) =>
      oneJson(
        deps,
        await withEffects(deps, () => changeHeld(deps.db, ctx, params.id, { type: 'update', input: body })),
      ),
  }),
  route({
    method: 'post',
    path: '/compliance/developer-certifications/:id/verify',
    tag: T,
    summary: 'Verify a held certification (admin)',
    roles: ADMINS,
    status: 200,
    params: idParam,
    body: z.strictObject({}).optional(),
    response: heldOne,
    handler: async ({ params, ctx, deps }) =>
      oneJson(deps, await withEffects(deps, () => changeHeld(deps.db, ctx, params.id, { type: 'verify' }))),
  }),
  route({
    method: 'post',
    path: '/compliance/developer-certifications/:id/renew',
    tag: T,
    summary:
      'Renew: new dates; ACTIVE again unless the new expiry is inside the window; the expiry plan starts over',
    roles: WRITERS,
    status: 200,
    params: idParam,
    body: z
      .strictObject({
        issued_date: isoDate.optional(),
        expiry_date: futureIsoDate
          .nullable()
          .optional()
          .describe('A renewed certification expires in the future'),
        credential_id: z.string().max(300).nullable().optional(),
      })
      .optional(),
    response: heldOne,
    handler: async ({ params, body, ctx, deps }) =>
      oneJson(
        deps,
        await withEffects(deps, () =>
          changeHeld(deps.db, ctx, params.id, { type: 'renew', input: body ?? {} }),
        ),
      ),
  }),
  route({
    method: 'post',
    path: '/compliance/developer-certifications/:id/revoke',
    tag: T,
    summary: 'Revoke a held certification (manager or admin; reason required; terminal)',
    roles: MANAGERS,
    status: 200,
    params: idParam,
    body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
    response: heldOne,
    handler: async ({ params, body, ctx, deps }) =>
      oneJson(
        deps,
        await withEffects(deps, () =>
          changeHeld(deps.db, ctx, params.id, { type: 'revoke', reason: body.reason }),
        ),
      ),
  }),
];
