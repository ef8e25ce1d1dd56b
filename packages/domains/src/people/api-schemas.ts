import { z } from 'zod';
import { isoOffset, nullableTs, ts } from '../api-schemas';
import type { COMPLIANCE_CATEGORIES } from '../compliance/rules';
import { defaultLadderSchema } from '../escalation/api-schemas';

export const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:MM');

const threshold = {
  at_risk: z.number().int().min(1).max(1_000_000),
  non_compliant: z.number().int().min(1).max(1_000_000),
};
const partialThreshold = z.strictObject(threshold).partial().optional();
const complianceThresholdsSchema = z
  .strictObject({
    ...threshold,
    categories: z
      .strictObject({
        overdue_trainings: partialThreshold,
        missing_required_certifications: partialThreshold,
        overdue_acknowledgements: partialThreshold,
        overdue_controls: partialThreshold,
      } satisfies Record<(typeof COMPLIANCE_CATEGORIES)[number], unknown>)
      .optional(),
  })
  .refine((t) => t.non_compliant >= t.at_risk, {
    message: 'non_compliant must be at least at_risk',
    path: ['non_compliant'],
  })
  .describe(
    'check-bulk-compliance: a category (overdue_trainings, missing_required_certifications, overdue_acknowledgements, overdue_controls) with at least at_risk items makes the workspace AT_RISK, with at least non_compliant NON_COMPLIANT; categories override per category. Default {at_risk: 1, non_compliant: 5}.',
  );

export const settingsBody = z.strictObject({
  director_contact_id: z.uuid().nullable().optional(),
  vp_exec_contact_id: z.uuid().nullable().optional(),
  cxo_contact_id: z.uuid().nullable().optional(),
  policy_approver_id: z.uuid().nullable().optional(),
  ack_deadline_days: z.number().int().min(1).max(365).optional(),
  reminder_offsets: z.array(isoOffset).max(10).optional(),
  reminder_interval_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
  cert_expiring_days: z.number().int().min(1).max(365).optional(),
  digest_hour_utc: z.number().int().min(0).max(23).optional(),
  quiet_hours: z.strictObject({ start: clock, end: clock }).nullable().optional(),
  skip_weekends: z.boolean().optional(),
  default_ladder: defaultLadderSchema.nullable().optional(),
  periodic_ack: z
    .strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(28) })
    .nullable()
    .optional(),
  compliance_thresholds: complianceThresholdsSchema.nullable().optional(),
});
export const settingsSchema = settingsBody.required().extend({ workspace_id: z.uuid(), updated_at: ts });
export const tokenSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  member_id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  expires_at: nullableTs,
  revoked_at: nullableTs,
  last_used_at: nullableTs,
  created_at: ts,
});
export const offboardPreviewSchema = z.object({
  member_id: z.uuid(),
  already_offboarded: z.boolean(),
  changes: z.array(
    z.object({
      area: z.string(),
      target_type: z.string(),
      target_id: z.uuid(),
      label: z.string(),
      action: z.enum(['REASSIGN', 'CLEAR', 'CANCEL', 'REVOKE', 'STAYS']),
      to_member_id: z.uuid().nullable(),
      detail: z.string().nullable(),
    }),
  ),
});
