import { MANAGERS, READ_ALL } from '@vigil/kernel/auth';
import { columnsOf } from '@vigil/kernel/csv';
import { z } from 'zod';
import { idParam, nullableTs, percentSchema, READ_SCOPE_TEXT, ts } from '../api-schemas';
import { route } from '../deps';
import { PERCENT_DESCRIPTION } from '../percent';
import { developerStatus } from './developer';
import { expiringCertifications, overdueReport } from './lists';
import { COMPLIANCE_STATUSES, OVERDUE_KINDS, OVERDUE_LIMIT_DEFAULT, OVERDUE_LIMIT_MAX } from './rules';
import { overview } from './service';

/** Admins, auditors and managers. */
const REPORT_READERS = [...new Set([...READ_ALL, ...MANAGERS])];

const counts = (keys: readonly string[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])));
const pct = (what: string) =>
  percentSchema.nullable().describe(`${PERCENT_DESCRIPTION}: ${what}; null when nothing to measure`);
const level = z.string().nullable();

const overviewSchema = z.object({
  generated_at: ts,
  members: z.object({ active: z.number().int() }),
  training: z.object({
    by_status: counts(['PENDING', 'IN_PROGRESS', 'COMPLETED', 'OVERDUE', 'WAIVED']),
    total: z.number().int(),
    overdue: z.number().int().describe('Open assignments past due (acknowledged or not)'),
    completion_rate: pct('completed (completed_at) over non-waived assignments'),
  }),
  certifications: z.object({
    by_status: counts(['ACTIVE', 'EXPIRING_SOON', 'EXPIRED', 'REVOKED']),
    total: z.number().int(),
    expiring_in_30_days: z.number().int(),
    required_certifications: z.number().int(),
    members_missing_required: z.number().int(),
    required_coverage_rate: pct('required certifications validly held over required x active members'),
  }),
  reminders: z.object({
    by_status: counts([
      'PENDING',
      'NOTIFIED',
      'ACKNOWLEDGED',
      'COMPLETED',
      'SKIPPED',
      'ESCALATED',
      'OVERDUE',
    ]),
    total: z.number().int(),
    overdue: z.number().int(),
    completion_rate: pct('completed over non-skipped instances that are due or completed'),
  }),
  policies: z.object({
    requests_by_status: counts(['PENDING', 'ACKNOWLEDGED', 'OVERDUE', 'CANCELLED']),
    overdue_requests: z.number().int(),
    members_requested: z.number().int(),
    members_fully_acknowledged: z.number().int(),
    members_fully_acknowledged_rate: pct('members with nothing left to acknowledge over members asked'),
    acknowledgement_rate: pct('acknowledged over non-cancelled requests'),
    policies_pending_approval: z.number().int(),
  }),
  tickets: z.object({
    by_status: counts(['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'CLOSED']),
    open: z.number().int(),
    escalated: z.number().int(),
  }),
  compliance_score: percentSchema.describe(`${PERCENT_DESCRIPTION}: the mean of the available rates`),
  compliance_status: z
    .object({
      status: z.enum(COMPLIANCE_STATUSES),
      since: ts.describe('When the workspace entered this status'),
      checked_at: ts.describe('The last hourly check-bulk-compliance'),
      counts: z.record(z.string(), z.number().int()),
    })
    .nullable()
    .describe(
      'The status check-bulk-compliance last computed from the thresholds in settings; null before its first run',
    ),
});

const developerSchema = z.object({
  developer: z.object({ id: z.uuid(), name: z.string(), email: z.string(), status: z.string() }),
  status: z.enum(COMPLIANCE_STATUSES),
  generated_at: ts,
  assignments: z.array(
    z.object({
      id: z.uuid(),
      mandatory_training_id: z.uuid(),
      training_name: z.string(),
      status: z.string(),
      due_date: ts,
      completed_at: nullableTs,
      acknowledged_at: nullableTs,
      progress_percentage: z.number().int(),
      current_escalation_level: level,
      days_until_due: z.number().int().nullable(),
      is_overdue: z.boolean(),
    }),
  ),
  certifications: z.array(
    z.object({
      id: z.uuid(),
      certification_id: z.uuid(),
      certification_name: z.string(),
      is_required: z.boolean(),
      status: z.string(),
      issued_date: ts,
      expiry_date: nullableTs,
      days_until_expiry: z.number().int().nullable(),
      is_expired: z.boolean(),
      is_expiring_soon: z.boolean(),
    }),
  ),
  missing_required_certifications: z.array(
    z.object({ certification_id: z.uuid(), name: z.string(), reason: z.enum(['NOT_HELD', 'EXPIRED']) }),
  ),
  open_reminder_instances: z.array(
    z.object({
      id: z.uuid(),
      reminder_id: z.uuid(),
      title: z.string(),
      status: z.string(),
      due_date: ts,
      acknowledged_at: nullableTs,
      current_escalation_level: level,
      days_until_due: z.number().int().nullable(),
      is_overdue: z.boolean(),
    }),
  ),
  policy_acknowledgements: z.object({
    requests: z.array(
      z.object({
        id: z.uuid(),
        policy_id: z.uuid(),
        policy_name: z.string(),
        policy_version_id: z.uuid(),
        status: z.string(),
        due_at: ts,
        acknowledged_at: nullableTs,
        days_until_due: z.number().int().nullable(),
        is_overdue: z.boolean(),
      }),
    ),
    pending: z.number().int(),
    acknowledged: z.number().int(),
    overdue: z.number().int(),
    fully_acknowledged: z.boolean(),
  }),
});

const overdueItem = z.object({
  kind: z.enum(OVERDUE_KINDS),
  id: z.uuid(),
  title: z.string(),
  owner_id: z.uuid().nullable(),
  owner_name: z.string().nullable(),
  due_at: ts,
  days_overdue: z.number().int().min(0),
  escalation_level: level,
});
const overdueSchema = z.object({
  generated_at: ts,
  count: z.number().int(),
  truncated: z.boolean().describe('True when more items matched than `limit`'),
  data: z.array(overdueItem),
});

const expiringItem = z.object({
  id: z.uuid(),
  certification_id: z.uuid(),
  certification_name: z.string(),
  is_required: z.boolean(),
  developer_id: z.uuid(),
  developer_name: z.string().nullable(),
  status: z.string(),
  expiry_date: ts,
  days_until_expiry: z.number().int(),
});
const expiringSchema = z.object({
  generated_at: ts,
  days_ahead: z.number().int(),
  count: z.number().int(),
  truncated: z.boolean(),
  data: z.array(expiringItem),
});

const T = 'Reports';
export const reportRoutes = [
  route({
    method: 'get',
    path: '/compliance/reports/overview',
    tag: T,
    summary: 'Compliance overview of the workspace',
    description:
      'Training, certification, reminder, policy acknowledgement and ticket statistics. Completion keys off completed_at: an acknowledged item is not completed. compliance_score is the mean of the available rates (training completion, required-certification coverage, reminder completion, acknowledgement rate); 100 when none is measurable.',
    roles: REPORT_READERS,
    response: overviewSchema,
    handler: async ({ ctx, deps }) => overview(deps.db, ctx.workspaceId),
    csv: { columns: columnsOf(overviewSchema) },
  }),
  route({
    method: 'get',
    path: '/compliance/reports/developer/:id',
    tag: T,
    summary:
      "A member's compliance status (anyone's for admins, approvers, auditors; else own, managed and led)",
    description: `status: NON_COMPLIANT if anything is overdue or a required certification is expired or missing; AT_RISK if anything is due, or a certification expires, within 7 days; else COMPLIANT. ${READ_SCOPE_TEXT}`,
    params: idParam,
    response: developerSchema,
    handler: async ({ params, ctx, deps }) => developerStatus(deps.db, ctx, params.id),
    csv: { columns: columnsOf(developerSchema) },
  }),
  route({
    method: 'get',
    path: '/compliance/reports/overdue',
    tag: T,
    summary: 'Every overdue item across kinds, most overdue first',
    description:
      'Open training assignments past due, expired required certifications (not renewed), open reminder instances past due (ACKNOWLEDGED included) and overdue policy acknowledgement requests. Bounded by limit (max 1000); no cursor. Admins and auditors see every item; managers the items of themselves, the people they manage and the members of the teams they lead (and reminder instances assigned to teams they belong to or lead).',
    roles: REPORT_READERS,
    query: z.object({
      kind: z.enum(OVERDUE_KINDS).optional(),
      owner_id: z.uuid().optional(),
      team_id: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(OVERDUE_LIMIT_MAX).default(OVERDUE_LIMIT_DEFAULT),
    }),
    response: overdueSchema,
    handler: async ({ query, ctx, deps }) => overdueReport(deps.db, ctx, query),
    csv: { columns: columnsOf(overdueItem) },
  }),
  route({
    method: 'get',
    path: '/compliance/reports/expiring-certifications',
    tag: T,
    summary: 'Valid certifications expiring within days_ahead days (default 30), soonest first',
    description:
      'Admins and auditors see every holder; managers themselves, the people they manage and the members of the teams they lead.',
    roles: REPORT_READERS,
    query: z.object({
      days_ahead: z.coerce.number().int().min(1).max(365).default(30),
      limit: z.coerce.number().int().min(1).max(OVERDUE_LIMIT_MAX).default(OVERDUE_LIMIT_MAX),
    }),
    response: expiringSchema,
    handler: async ({ query, ctx, deps }) =>
      expiringCertifications(deps.db, ctx, query.days_ahead, query.limit),
    csv: { columns: columnsOf(expiringItem) },
  }),
];
