import { z } from 'zod';
import { ts } from '../api-schemas';
import { EVENT_TYPES, type EventType } from './rules';

const id = z.uuid();
const actor = { actor_id: id.nullable().describe('The member who made the change; null for the system') };
const obligation = { developer_id: id.nullable(), due_date: ts.nullable() };
const certification = { developer_id: id.nullable(), expiry_date: ts.nullable() };
const compliance = z.enum(['COMPLIANT', 'AT_RISK', 'NON_COMPLIANT']);
const policyVersion = {
  version_id: id,
  number: z.number().int(),
  content_sha256: z.string().nullable(),
  ...actor,
};

/** The payload of each event type (one OpenAPI schema per type). */
export const EVENT_PAYLOADS: Record<EventType, z.ZodObject> = {
  'assignment.approaching_due': z.object(obligation),
  'assignment.overdue': z.object(obligation),
  'certification.expiring': z.object(certification),
  'certification.expired': z.object(certification),
  'workspace.compliance_status_changed': z.object({
    before: compliance,
    after: compliance,
    since: ts,
    counts: z.record(z.string(), z.number().int()),
  }),
  'reminder_instance.overdue': z.object({ status: z.literal('OVERDUE') }),
  'reminder_instance.completed': z.object({
    status: z.literal('COMPLETED'),
    notes: z.string().nullable(),
    ...actor,
  }),
  'acknowledgement.overdue': z.object({ member_id: id.nullable(), policy_ids: z.array(id) }),
  'acknowledgement.completed': z.object({
    policy_id: id,
    member_id: id.nullable(),
    policy_version_id: id.nullable(),
    version_number: z.number().int().nullable(),
    acknowledgement_type: z.string().nullable(),
  }),
  'escalation.fired': z.object({
    level: z.enum(['L1', 'L2', 'L3', 'L4']),
    target: z.record(z.string(), z.unknown()),
    target_member_ids: z.array(id),
    channels: z.array(z.string()).optional(),
    manual: z.boolean(),
    ...actor,
  }),
  'escalation.acknowledged': z.object({ escalation_id: id, level: z.string(), ...actor }),
  'policy.approved': z.object(policyVersion),
  'policy.version_published': z.object(policyVersion),
  'member.onboarded': z.object({
    email: z.string().optional(),
    name: z.string().optional(),
    role: z.string().optional(),
    manager_id: id.nullable().optional(),
    ...actor,
  }),
  'member.offboarded': z.object({ reason: z.string().nullable(), ...actor }),
  'document.uploaded': z.object({
    title: z.string().optional(),
    file_name: z.string(),
    mime_type: z.string(),
    size_bytes: z.number().int(),
    sha256: z.string().nullable(),
    version: z.number().int(),
    ...actor,
  }),
};

const SUBJECTS: Record<EventType, string> = {
  'assignment.approaching_due': 'training_assignment',
  'assignment.overdue': 'training_assignment',
  'certification.expiring': 'member_certification',
  'certification.expired': 'member_certification',
  'workspace.compliance_status_changed': 'workspace',
  'reminder_instance.overdue': 'reminder_instance',
  'reminder_instance.completed': 'reminder_instance',
  'acknowledgement.overdue': 'acknowledgement_request',
  'acknowledgement.completed': 'acknowledgement_request',
  'escalation.fired': 'the escalated obligation: training_assignment, member_certification, ticket, ...',
  'escalation.acknowledged': 'the escalated obligation',
  'policy.approved': 'policy',
  'policy.version_published': 'policy',
  'member.onboarded': 'member',
  'member.offboarded': 'member',
  'document.uploaded': 'document',
};

const eventOf = (type: EventType) =>
  z
    .object({
      id: id.describe('Stable id; the webhook-id of its deliveries'),
      type: z.literal(type),
      occurred_at: ts,
      workspace_id: id,
      subject: z.object({ type: z.string().describe(SUBJECTS[type]), id }),
      payload: EVENT_PAYLOADS[type],
    })
    .meta({ id: `Event_${type.replace(/\./g, '_')}`, description: `A ${type} event` });

/** An event: one schema per type, told apart by `type`. */
export const eventSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map(eventOf) as unknown as [ReturnType<typeof eventOf>, ...ReturnType<typeof eventOf>[]],
);
