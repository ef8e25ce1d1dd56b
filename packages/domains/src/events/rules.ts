/**
 * The event types Vigil emits and how an audited change becomes one. Pure: the audit service
 * calls `eventsFromAudit` for the entries it writes, so each event commits with its change.
 */
export const EVENT_TYPES = [
  'assignment.approaching_due',
  'assignment.overdue',
  'certification.expiring',
  'certification.expired',
  'workspace.compliance_status_changed',
  'reminder_instance.overdue',
  'reminder_instance.completed',
  'acknowledgement.overdue',
  'acknowledgement.completed',
  'escalation.fired',
  'escalation.acknowledged',
  'policy.approved',
  'policy.version_published',
  'member.onboarded',
  'member.offboarded',
  'document.uploaded',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event to insert: subject (type, id), payload and the key that makes a repeat a no-op. */
export interface NewEvent {
  workspaceId: string;
  type: EventType;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  dedupeKey?: string;
}

/** The part of an audit entry the mapping reads. */
export interface AuditedChange {
  id: string;
  workspaceId: string;
  actorId: string | null;
  actionType: string;
  targetType: string;
  targetId: string | null;
  newValue: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const pick = (v: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => v[k] !== undefined).map((k) => [k, v[k]]));

/** The obligation kinds an escalation can belong to (the audit target type of ESCALATION_*). */
const ESCALATABLE = new Set([
  'training_assignment',
  'member_certification',
  'reminder_instance',
  'acknowledgement_request',
  'ticket',
]);

/**
 * The events an audited change emits (none for most). Each is keyed by the audit entry's id,
 * which is written once per change, so the event is too. A sweep's chunked entry naming many
 * instances (`instance_ids`) emits none: that sweep inserts its events set-based.
 */
export function eventsFromAudit(a: AuditedChange): NewEvent[] {
  const v = obj(a.newValue);
  const base = { workspaceId: a.workspaceId, dedupeKey: a.id };
  const actor = { actor_id: a.actorId };
  const one = (
    type: EventType,
    subjectType: string,
    subjectId: string | null,
    payload: Record<string, unknown>,
  ) => (subjectId && UUID.test(subjectId) ? [{ ...base, type, subjectType, subjectId, payload }] : []);
  switch (a.actionType) {
    case 'INSTANCE_OVERDUE':
      // The overdue sweep's chunked entries (instance_ids) are not mapped: its UPDATE inserts
      // their events itself, set-based (reminders/maintenance.ts).
      if (Array.isArray(v.instance_ids)) return [];
      return one('reminder_instance.overdue', 'reminder_instance', a.targetId, { status: 'OVERDUE' });
    case 'INSTANCE_COMPLETED':
      return one('reminder_instance.completed', 'reminder_instance', a.targetId, {
        status: 'COMPLETED',
        notes: v.notes ?? null,
        ...actor,
      });
    case 'ACKNOWLEDGEMENT_OVERDUE':
      return one(
        'acknowledgement.overdue',
        'acknowledgement_request',
        a.targetId,
        pick(v, ['member_id', 'policy_ids']),
      );
    case 'POLICY_ACKNOWLEDGED':
      return one('acknowledgement.completed', 'acknowledgement_request', str(v.request_id), {
        policy_id: a.targetId,
        member_id: v.employee_id ?? null,
        policy_version_id: v.policy_version_id ?? null,
        version_number: v.version_number ?? null,
        acknowledgement_type: v.acknowledgement_type ?? null,
      });
    case 'ESCALATION_TRIGGERED':
      if (!ESCALATABLE.has(a.targetType)) return [];
      return one('escalation.fired', a.targetType, a.targetId, {
        ...pick(v, ['level', 'target', 'target_member_ids', 'channels']),
        manual: v.manual === true,
        ...actor,
      });
    case 'ESCALATION_ACKNOWLEDGED':
      if (!ESCALATABLE.has(a.targetType)) return [];
      return one('escalation.acknowledged', a.targetType, a.targetId, {
        ...pick(v, ['escalation_id', 'level']),
        ...actor,
      });
    case 'POLICY_APPROVED': {
      const payload = { ...pick(v, ['version_id', 'number', 'content_sha256']), ...actor };
      return [
        ...one('policy.approved', 'policy', a.targetId, payload),
        ...one('policy.version_published', 'policy', a.targetId, payload),
      ];
    }
    case 'MEMBER_CREATED':
      return one('member.onboarded', 'member', a.targetId, {
        ...pick(v, ['email', 'name', 'role', 'access_role', 'manager_id', 'team_ids', 'department']),
        ...actor,
      });
    case 'MEMBER_OFFBOARDED':
      return one('member.offboarded', 'member', a.targetId, { reason: v.reason ?? null, ...actor });
    case 'DOCUMENT_UPLOADED':
      return one('document.uploaded', 'document', a.targetId, {
        ...pick(v, ['title', 'file_name', 'mime_type', 'size_bytes', 'sha256', 'version', 'folder_id']),
        ...actor,
      });
    default:
      return [];
  }
}
