import type { SearchAttributePair } from '@temporalio/common';
import { SA } from '@vigil/kernel/search-attributes';
import type { ObligationView } from './service';

/** What operators see of an obligation in the Temporal Web UI: search attributes and memo. */
export interface Publication {
  searchAttributes: SearchAttributePair[];
  memo: Record<string, unknown>;
  /** One line, fixed at start: kind, title, owner, due date (the Web UI's summary). */
  summary: string;
  /** Markdown of the current state: status, level, who was notified when, what comes next. */
  details: string;
  /** Equal keys mean nothing visible changed. */
  key: string;
}

const KIND_NAMES: Record<string, string> = {
  training_assignment: 'Training',
  member_certification: 'Certification',
  reminder_instance: 'Control',
  acknowledgement_request: 'Policy acknowledgement',
  ticket: 'Ticket',
};

const iso = (ms: number | null | undefined) =>
  ms == null
    ? '—'
    : new Date(ms)
        .toISOString()
        .replace(/:\d\d\.\d{3}Z$/, 'Z')
        .replace('T', ' ');

/** The static one-line summary the workflow starts with. */
export function summaryOf(view: ObligationView): string {
  const parts = [`${KIND_NAMES[view.kind] ?? view.kind}: ${view.title ?? view.id}`];
  if (view.ownerName) parts.push(`owner ${view.ownerName}`);
  if (view.dueAt != null) parts.push(`due ${iso(view.dueAt)}`);
  return parts.join(' · ').slice(0, 400);
}

/** Markdown an operator reads at a glance: the current details of the obligation. */
export function detailsOf(view: ObligationView): string {
  const lines = [
    `**${view.title ?? view.id}**`,
    '',
    `- Status: **${view.status ?? '—'}**${view.terminal ? ' (done)' : ''}`,
    `- Escalation level: **${view.escalationLevel ?? 'none'}**`,
    `- Owner: ${view.ownerName ?? view.ownerId ?? '—'}`,
    `- Due: ${iso(view.dueAt)}`,
    view.next.type === 'STEP'
      ? `- Next: **${view.next.key}** at ${iso(view.next.at)}`
      : `- Next: ${view.next.type === 'DONE' ? 'nothing (finished)' : 'waiting for a change'}`,
  ];
  if (view.escalations?.length) {
    lines.push('', '| level | fired | notified | acknowledged |', '| --- | --- | --- | --- |');
    for (const e of view.escalations)
      lines.push(
        `| ${e.level} | ${iso(e.firedAt)} | ${e.notified.join(', ') || '—'} | ${e.acknowledged ? 'yes' : 'no'} |`,
      );
  }
  if (view.upcoming?.length) {
    lines.push('', 'Then:');
    for (const u of view.upcoming) lines.push(`- ${u.key} at ${iso(u.at)}`);
  }
  return lines.join('\n');
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
    summary: summaryOf(view),
    details: detailsOf(view),
    key: JSON.stringify([attributes, memo, view.escalations ?? [], view.upcoming ?? []]),
  };
}
