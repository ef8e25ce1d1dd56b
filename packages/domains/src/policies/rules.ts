/**
 * Pure rules of policy management: version lifecycle, who a policy applies to,
 * who owes an acknowledgement for which event, due dates and version diffs.
 * No I/O here: callers load rows, pass plain values in and persist the answers.
 */
import { createHash } from 'node:crypto';
import { diffLines } from 'diff';

/** Open acknowledgement obligations and requests. */
export const OPEN_ACK = ['PENDING', 'OVERDUE'] as const;
/** Acknowledgement obligation statuses that end the obligation. */
export const TERMINAL_ACK_OBLIGATION = ['COMPLETED', 'CANCELLED'] as const;

export const POLICY_VERSION_STATUSES = [
  'DRAFT',
  'PENDING_APPROVAL',
  'APPROVED',
  'SUPERSEDED',
  'REJECTED',
] as const;
export type PolicyVersionStatus = (typeof POLICY_VERSION_STATUSES)[number];

export const ACK_EVENT_TYPES = ['NEW_HIRE', 'PERIODIC', 'MANUAL', 'POLICY_UPDATE'] as const;
export type AckEventType = (typeof ACK_EVENT_TYPES)[number];

export const ACK_REQUEST_STATUSES = ['PENDING', 'ACKNOWLEDGED', 'OVERDUE', 'CANCELLED'] as const;
export type AckRequestStatus = (typeof ACK_REQUEST_STATUSES)[number];

/** Default number of days an employee has to acknowledge a policy (spec: 30-day deadline). */
export const DEFAULT_ACK_DEADLINE_DAYS = 30;

const DAY_MS = 86_400_000;

/** Plain code-unit ordering: deterministic and locale-independent. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/**
 * Normalises line endings: every CRLF and every lone CR becomes LF. Nothing else
 * (trailing whitespace, final newline, Unicode form) is touched.
 */
export function normaliseLineEndings(content: string): string {
  return content.replace(/\r\n?/g, '\n');
}

/**
 * Lower-case hex SHA-256 of the UTF-8 bytes of `content` after line endings are
 * normalised to `\n` (see normaliseLineEndings). The same text saved from Windows
 * and Unix editors therefore hashes identically, so re-saving a policy does not
 * count as a change that employees must re-acknowledge.
 */
export function contentSha256(content: string): string {
  return createHash('sha256').update(normaliseLineEndings(content), 'utf8').digest('hex');
}

const TRANSITIONS: Readonly<Record<PolicyVersionStatus, readonly PolicyVersionStatus[]>> = {
  DRAFT: ['PENDING_APPROVAL', 'APPROVED'],
  PENDING_APPROVAL: ['APPROVED', 'REJECTED'],
  APPROVED: ['SUPERSEDED'],
  SUPERSEDED: [],
  REJECTED: [],
};

/**
 * Version lifecycle: DRAFT -> PENDING_APPROVAL | APPROVED (an approver may approve a
 * draft directly), PENDING_APPROVAL -> APPROVED | REJECTED, APPROVED -> SUPERSEDED.
 * SUPERSEDED and REJECTED are terminal; a status never transitions to itself.
 */
export function canTransition(from: PolicyVersionStatus, to: PolicyVersionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface PolicyApplicability {
  policyId: string;
  appliesToAll: boolean;
  roleIds: string[];
}

export interface AckMember {
  id: string;
  roleIds: string[];
  active: boolean;
}

function appliesTo(policy: PolicyApplicability, memberRoleIds: ReadonlySet<string>): boolean {
  return policy.appliesToAll || policy.roleIds.some((r) => memberRoleIds.has(r));
}

/** Ids of the policies that apply to a member holding `memberRoleIds`: sorted, without duplicates. */
export function policiesForMember(memberRoleIds: string[], policies: PolicyApplicability[]): string[] {
  const roles = new Set(memberRoleIds);
  return sortedUnique(policies.filter((p) => appliesTo(p, roles)).map((p) => p.policyId));
}

/** Ids of the active members a policy applies to: sorted, without duplicates. Inactive members never. */
export function membersForPolicy(policy: PolicyApplicability, members: AckMember[]): string[] {
  return sortedUnique(
    members.filter((m) => m.active && appliesTo(policy, new Set(m.roleIds))).map((m) => m.id),
  );
}

export interface AckHistoryEntry {
  memberId: string;
  policyId: string;
  policyVersionId: string;
  contentSha256: string;
  acknowledgedAt: Date;
}

/**
 * Each member's most recent acknowledgement of `policyId`. Ties on acknowledgedAt
 * are broken by position in `history` (the later entry wins).
 */
function lastAcknowledgements(policyId: string, history: AckHistoryEntry[]): Map<string, AckHistoryEntry> {
  const last = new Map<string, AckHistoryEntry>();
  for (const entry of history) {
    if (entry.policyId !== policyId) continue;
    const seen = last.get(entry.memberId);
    if (!seen || entry.acknowledgedAt.getTime() >= seen.acknowledgedAt.getTime())
      last.set(entry.memberId, entry);
  }
  return last;
}

/**
 * After a policy gets a new approved version, which of `memberIds` must acknowledge it.
 * Only a member's LAST acknowledgement of the policy counts: the member is skipped when
 * that acknowledgement was of the same content hash (the new text is identical after
 * line-ending normalisation to what they signed) or of the new version itself, and asked
 * otherwise. Members who never acknowledged the policy are asked: they still owe it.
 * Hashes compare case-insensitively. Returns sorted, distinct ids.
 */
export function mustReacknowledge(args: {
  policyId: string;
  newVersionId: string;
  newContentSha256: string;
  memberIds: string[];
  history: AckHistoryEntry[];
}): string[] {
  const last = lastAcknowledgements(args.policyId, args.history);
  const newHash = args.newContentSha256.toLowerCase();
  return sortedUnique(args.memberIds).filter((id) => {
    const ack = last.get(id);
    if (!ack) return true;
    return ack.policyVersionId !== args.newVersionId && ack.contentSha256.toLowerCase() !== newHash;
  });
}

export interface AckEventPolicy extends PolicyApplicability {
  activeVersionId: string | null;
  activeContentSha256: string | null;
}

/**
 * Narrows an event. Each present list restricts: memberIds to those members, roleIds to
 * members holding at least one of those roles, policyIds to those policies. An omitted
 * list does not restrict; an explicitly empty list selects nothing.
 */
export interface AckEventScope {
  memberIds?: string[];
  roleIds?: string[];
  policyIds?: string[];
}

export interface AckRequestPlan {
  memberId: string;
  policyId: string;
  policyVersionId: string;
}

function byMemberThenPolicy(a: AckRequestPlan, b: AckRequestPlan): number {
  return compareStrings(a.memberId, b.memberId) || compareStrings(a.policyId, b.policyId);
}

function membersInScope(members: AckMember[], scope: AckEventScope | undefined): AckMember[] {
  const ids = scope?.memberIds ? new Set(scope.memberIds) : null;
  const roles = scope?.roleIds ? new Set(scope.roleIds) : null;
  const seen = new Set<string>();
  const out: AckMember[] = [];
  for (const m of members) {
    if (!m.active || seen.has(m.id)) continue;
    if (ids && !ids.has(m.id)) continue;
    if (roles && !m.roleIds.some((r) => roles.has(r))) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out;
}

/**
 * The acknowledgement requests an event creates.
 * - NEW_HIRE, PERIODIC, MANUAL: every active member in scope x every policy that applies
 *   to them and has an approved active version (activeVersionId set).
 * - POLICY_UPDATE: only `changedPolicyId` (required), and only the members
 *   mustReacknowledge selects among the active in-scope members it applies to.
 * Inactive members never receive requests. Output is sorted by (memberId, policyId) and
 * holds each pair once (the first occurrence of a duplicated member or policy id is used).
 */
export function requestsForEvent(args: {
  type: AckEventType;
  members: AckMember[];
  policies: AckEventPolicy[];
  history: AckHistoryEntry[];
  scope?: AckEventScope;
  changedPolicyId?: string;
}): AckRequestPlan[] {
  const members = membersInScope(args.members, args.scope);
  const policyScope = args.scope?.policyIds ? new Set(args.scope.policyIds) : null;
  const seenPolicies = new Set<string>();
  const policies: Array<AckEventPolicy & { activeVersionId: string }> = [];
  for (const p of args.policies) {
    if (seenPolicies.has(p.policyId)) continue;
    seenPolicies.add(p.policyId);
    if (p.activeVersionId === null) continue;
    if (policyScope && !policyScope.has(p.policyId)) continue;
    policies.push({ ...p, activeVersionId: p.activeVersionId });
  }

  if (args.type === 'POLICY_UPDATE') {
    if (args.changedPolicyId === undefined) throw new Error('POLICY_UPDATE events require changedPolicyId');
    const changed = policies.find((p) => p.policyId === args.changedPolicyId);
    if (!changed || changed.activeContentSha256 === null) return [];
    const owe = mustReacknowledge({
      policyId: changed.policyId,
      newVersionId: changed.activeVersionId,
      newContentSha256: changed.activeContentSha256,
      memberIds: membersForPolicy(changed, members),
      history: args.history,
    });
    return owe.map((memberId) => ({
      memberId,
      policyId: changed.policyId,
      policyVersionId: changed.activeVersionId,
    }));
  }

  const out: AckRequestPlan[] = [];
  for (const m of members) {
    const roles = new Set(m.roleIds);
    for (const p of policies) {
      if (appliesTo(p, roles))
        out.push({ memberId: m.id, policyId: p.policyId, policyVersionId: p.activeVersionId });
    }
  }
  return out.sort(byMemberThenPolicy);
}

/**
 * Due date of an acknowledgement request: `from` plus `deadlineDays` whole UTC days
 * (exactly 24h each, so the UTC time of day is kept; callers default to
 * DEFAULT_ACK_DEADLINE_DAYS). Throws RangeError on an invalid date or a negative or
 * fractional day count.
 */
export function ackDueDate(from: Date, deadlineDays: number): Date {
  if (Number.isNaN(from.getTime())) throw new RangeError('ackDueDate: from is an invalid date');
  if (!Number.isSafeInteger(deadlineDays) || deadlineDays < 0) {
    throw new RangeError(`ackDueDate: deadlineDays must be a non-negative integer, got ${deadlineDays}`);
  }
  return new Date(from.getTime() + deadlineDays * DAY_MS);
}

export interface LineDiff {
  from_version: number;
  to_version: number;
  added: number;
  removed: number;
  hunks: Array<{ op: 'add' | 'remove' | 'same'; lines: string[] }>;
}

/** Lines of a (normalised) text: split on `\n`, a final newline does not start an empty extra line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Line diff from version `a` to version `b`. Both texts are line-ending normalised first,
 * and a missing newline at the end of the text is not reported as a change. Lines carry
 * no trailing newline. `added`/`removed` count lines, so for any inputs the same + removed
 * lines rebuild `a` and the same + added lines rebuild `b`.
 */
export function diffVersions(
  a: { number: number; content: string },
  b: { number: number; content: string },
): LineDiff {
  const changes = diffLines(normaliseLineEndings(a.content), normaliseLineEndings(b.content), {
    ignoreNewlineAtEof: true,
  });
  const hunks: LineDiff['hunks'] = [];
  let added = 0;
  let removed = 0;
  for (const change of changes) {
    const lines = splitLines(change.value);
    if (lines.length === 0) continue;
    const op = change.added ? 'add' : change.removed ? 'remove' : 'same';
    if (op === 'add') added += lines.length;
    if (op === 'remove') removed += lines.length;
    const prev = hunks[hunks.length - 1];
    if (prev && prev.op === op) prev.lines.push(...lines);
    else hunks.push({ op, lines });
  }
  return { from_version: a.number, to_version: b.number, added, removed, hunks };
}

/** Next version number: one more than the highest existing number, 1 for the first version. */
export function nextVersionNumber(existing: number[]): number {
  let max = 0;
  for (const n of existing) {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Invalid existing version number: ${n}`);
    if (n > max) max = n;
  }
  return max + 1;
}
