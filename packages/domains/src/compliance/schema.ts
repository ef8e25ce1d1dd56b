import { jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from '../columns';
import type { ComplianceCounts, ComplianceStatus } from './rules';

/** Each workspace's compliance status as check-bulk-compliance last computed it, and since when. */
export const workspaceCompliance = pgTable('workspace_compliance', {
  workspaceId: uuid('workspace_id').primaryKey(),
  status: text('status').$type<ComplianceStatus>().notNull(),
  since: tstz('since').notNull(),
  counts: jsonb('counts').$type<ComplianceCounts>().notNull(),
  checkedAt: tstz('checked_at').notNull(),
});
