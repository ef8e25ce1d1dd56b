// Tables of the certifications domain.
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz, updatedAt } from '../columns';
import type { LadderLevelConfig } from '../obligations/rules';

export const CERT_STATUSES = ['ACTIVE', 'EXPIRED', 'EXPIRING_SOON', 'REVOKED'] as const;
export type CertStatus = (typeof CERT_STATUSES)[number];

export const certifications = pgTable(
  'certifications',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    issuingAuthority: text('issuing_authority'),
    description: text('description'),
    /** null = never expires. */
    validityMonths: integer('validity_months'),
    renewalRequired: boolean('renewal_required').notNull().default(false),
    category: text('category'),
    skillTags: jsonb('skill_tags').$type<string[]>().notNull().default([]),
    prerequisites: jsonb('prerequisites').$type<string[]>().notNull().default([]),
    isRequired: boolean('is_required').notNull().default(false),
    externalUrl: text('external_url'),
    logoUrl: text('logo_url'),
    /** ISO-8601 duration overriding settings.cert_expiring_days for EXPIRING_SOON (null = use the setting). */
    expiringSoonOffset: text('expiring_soon_offset'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('certifications_ws_idx').on(t.workspaceId)],
);

export const developerCertifications = pgTable(
  'developer_certifications',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    developerId: uuid('developer_id').notNull(),
    certificationId: uuid('certification_id').notNull(),
    issuedDate: tstz('issued_date').notNull(),
    expiryDate: tstz('expiry_date'),
    status: text('status').$type<CertStatus>().notNull().default('ACTIVE'),
    credentialId: text('credential_id'),
    verificationUrl: text('verification_url'),
    certificateUrl: text('certificate_url'),
    verifiedAt: tstz('verified_at'),
    verifiedById: uuid('verified_by_id'),
    score: doublePrecision('score'),
    renewalReminderSentAt: tstz('renewal_reminder_sent_at'),
    revokedAt: tstz('revoked_at'),
    revokeReason: text('revoke_reason'),
    ladder: jsonb('ladder').$type<LadderLevelConfig[]>().notNull().default([]),
    currentEscalationLevel: text('current_escalation_level'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('developer_certifications_ws_status_idx').on(t.workspaceId, t.status),
    index('developer_certifications_dev_idx').on(t.developerId),
    index('developer_certifications_cert_idx').on(t.certificationId),
  ],
);
