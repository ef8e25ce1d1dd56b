/**
 * Every kind of change Vigil records. The spec names 14 (TRAINING_CREATED,
 * TRAINING_COMPLETED, CERTIFICATION_RENEWED, APPROVAL_REQUESTED, ...); this list
 * covers every change any module makes.
 */
export const AUDIT_ACTIONS = [
  // training and assignments
  'TRAINING_CREATED',
  'TRAINING_UPDATED',
  'TRAINING_DEACTIVATED',
  'TRAINING_ASSIGNED',
  'TRAINING_ACKNOWLEDGED',
  'TRAINING_STARTED',
  'TRAINING_PROGRESS_UPDATED',
  'TRAINING_COMPLETED',
  'TRAINING_WAIVED',
  'TRAINING_OVERDUE',
  // certifications
  'CERTIFICATION_CREATED',
  'CERTIFICATION_UPDATED',
  'CERTIFICATION_ISSUED',
  'CERTIFICATION_VERIFIED',
  'CERTIFICATION_RENEWED',
  'CERTIFICATION_REVOKED',
  'CERTIFICATION_EXPIRING',
  'CERTIFICATION_EXPIRED',
  // reminders and instances
  'REMINDER_CREATED',
  'REMINDER_UPDATED',
  'REMINDER_ARCHIVED',
  'REMINDER_DELETED',
  'INSTANCE_CREATED',
  'INSTANCE_NOTIFIED',
  'INSTANCE_ACKNOWLEDGED',
  'INSTANCE_COMPLETED',
  'INSTANCE_SKIPPED',
  'INSTANCE_REASSIGNED',
  'INSTANCE_OVERDUE',
  'ROUTING_CHANGED',
  // policies, approvals, acknowledgements
  'POLICY_CREATED',
  'POLICY_UPDATED',
  'APPROVAL_REQUESTED',
  'POLICY_APPROVED',
  'POLICY_REJECTED',
  'POLICIES_ASSIGNED_TO_ROLE',
  'ACKNOWLEDGEMENT_REQUESTED',
  'POLICY_ACKNOWLEDGED',
  'ACKNOWLEDGEMENT_OVERDUE',
  'ACKNOWLEDGEMENT_CANCELLED',
  'TEMPLATE_UPGRADE_PROMPTED',
  // escalation and notifications
  'REMINDER_SENT',
  'ESCALATION_TRIGGERED',
  'ESCALATION_ACKNOWLEDGED',
  'MATRIX_CREATED',
  'MATRIX_UPDATED',
  'MATRIX_DELETED',
  'TICKET_CREATED',
  'TICKET_UPDATED',
  // documents and questionnaires
  'DOCUMENT_UPLOADED',
  'DOCUMENT_UPDATED',
  'DOCUMENT_MOVED',
  'DOCUMENT_ARCHIVED',
  'DOCUMENT_DELETED',
  'DOCUMENT_LINKED',
  'DOCUMENT_UNLINKED',
  'FOLDER_CHANGED',
  'QUESTIONNAIRE_UPLOADED',
  'QUESTIONNAIRE_ANALYZED',
  'QUESTIONNAIRE_DELETED',
  'SUGGESTION_ACCEPTED',
  'SUGGESTION_REJECTED',
  // people and workspace
  'WORKSPACE_CREATED',
  'MEMBER_CREATED',
  'MEMBER_UPDATED',
  'MEMBER_OFFBOARDED',
  'TEAM_CREATED',
  'TEAM_UPDATED',
  'TEAM_DELETED',
  'ROLE_CREATED',
  'TOKEN_CREATED',
  'TOKEN_REVOKED',
  'SIGN_IN_LINK_SENT',
  'SIGN_IN_LINK_ISSUED',
  'SIGNED_IN',
  'SIGNED_OUT',
  'SESSION_REVOKED',
  'SETTINGS_UPDATED',
  // recorded through POST /api/audit/log
  'EXTERNAL_ACTION',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

interface ChainRow {
  seq: number;
  prevHash: string;
  hash: string;
  recomputed: string;
}

/** Finds the first broken link: a gap in seq, a prev_hash that is not the previous hash, or a hash that does not recompute. */
export function firstBrokenSeq(
  rows: ChainRow[],
  start: { seq: number; hash: string } = { seq: 0, hash: '' },
) {
  let prev = start;
  for (const row of rows) {
    if (row.seq !== prev.seq + 1) return { seq: prev.seq + 1, reason: 'GAP' as const };
    if (row.prevHash !== prev.hash) return { seq: row.seq, reason: 'PREV_HASH_MISMATCH' as const };
    if (row.hash !== row.recomputed) return { seq: row.seq, reason: 'HASH_MISMATCH' as const };
    prev = { seq: row.seq, hash: row.hash };
  }
  return null;
}
