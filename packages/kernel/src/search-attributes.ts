import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes on every obligation workflow, so operators can find
 * "every L2 escalation in workspace X" in the Web UI. temporal-config/search-attributes.json
 * lists the same names for the dev server and for full clusters.
 */
export const SA = {
  WorkspaceId: defineSearchAttributeKey('WorkspaceId', SearchAttributeType.KEYWORD),
  ObligationKind: defineSearchAttributeKey('ObligationKind', SearchAttributeType.KEYWORD),
  ObligationStatus: defineSearchAttributeKey('ObligationStatus', SearchAttributeType.KEYWORD),
  EscalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.KEYWORD),
  DueAt: defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME),
  OwnerId: defineSearchAttributeKey('OwnerId', SearchAttributeType.KEYWORD),
} as const;

export const SEARCH_ATTRIBUTES = Object.values(SA);
