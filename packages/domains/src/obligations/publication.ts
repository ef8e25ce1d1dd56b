import type { SearchAttributePair } from '@temporalio/common';
import { SA } from '@vigil/kernel/search-attributes';
import type { ObligationView } from './service';

/** What operators see of an obligation in the Temporal Web UI: search attributes and memo. */
export interface Publication {
  searchAttributes: SearchAttributePair[];
  memo: Record<string, unknown>;
  /** Equal keys mean nothing visible changed. */
  key: string;
}

/**
 * Search attributes and readable memo of an obligation's state. Pure, so the API
 * (starting a workflow with them) and the workflow (upserting them) agree exactly.
 */
export function publicationOf(view: ObligationView): Publication {
  const attributes = {
    workspaceId: view.workspaceId ?? '',
    kind: view.kind,
    status: view.status ?? '',
    level: view.escalationLevel ?? 'NONE',
    dueAt: view.dueAt ?? null,
    ownerId: view.ownerId ?? null,
  };
  const memo = {
    title: view.title,
    status: view.status,
    escalation_level: view.escalationLevel,
    next_step:
      view.next.type === 'STEP'
        ? `${view.next.key} at ${new Date(view.next.at ?? 0).toISOString()}`
        : view.next.type,
    details: view.details,
  };
  return {
    searchAttributes: [
      { key: SA.WorkspaceId, value: attributes.workspaceId },
      { key: SA.ObligationKind, value: attributes.kind },
      { key: SA.ObligationStatus, value: attributes.status },
      { key: SA.EscalationLevel, value: attributes.level },
      ...(attributes.dueAt != null ? [{ key: SA.DueAt, value: new Date(attributes.dueAt) }] : []),
      ...(attributes.ownerId ? [{ key: SA.OwnerId, value: attributes.ownerId }] : []),
    ],
    memo,
    key: JSON.stringify([attributes, memo]),
  };
}
