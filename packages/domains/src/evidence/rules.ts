// Pure rules of the evidence pack: the period, the sections, the paths inside the zip,
// the audit chain's hash input and the README an auditor follows. No I/O here.
import { createHash } from 'node:crypto';
import type { FieldError } from '@vigil/kernel/errors';

export const PACK_STATUSES = ['PENDING', 'RUNNING', 'READY', 'FAILED'] as const;
export type PackStatus = (typeof PACK_STATUSES)[number];

/** What a pack may hold; `include` picks some, by default all. */
export const PACK_SECTIONS = [
  'POLICIES',
  'ACKNOWLEDGEMENTS',
  'TRAINING',
  'CERTIFICATIONS',
  'REMINDERS',
  'ESCALATIONS',
  'AUDIT_LOG',
] as const;
export type PackSection = (typeof PACK_SECTIONS)[number];

/** The longest period one pack covers (an audit window is usually 3 to 12 months). */
export const MAX_PERIOD_DAYS = 1830;

/** Checks a requested period: from before to, from not in the future, at most MAX_PERIOD_DAYS. */
export function periodErrors(from: Date, to: Date, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (from.getTime() > now.getTime())
    errors.push({ field: 'body.from', message: 'must not be in the future' });
  if (to.getTime() <= from.getTime()) errors.push({ field: 'body.to', message: 'must be after from' });
  else if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000)
    errors.push({ field: 'body.to', message: `the period may span at most ${MAX_PERIOD_DAYS} days` });
  return errors;
}

/** The sections asked for, deduplicated, in the fixed order; all of them when none is given. */
export function normalizeSections(include?: readonly PackSection[] | null): PackSection[] {
  if (!include?.length) return [...PACK_SECTIONS];
  const set = new Set(include);
  return PACK_SECTIONS.filter((s) => set.has(s));
}

/** Where a workspace's pack zip lives in the bucket. */
export const packKey = (workspaceId: string, packId: string) =>
  `workspaces/${workspaceId}/evidence-packs/${packId}.zip`;

/** File name of the download, e.g. evidence-pack-2026-01-01-2026-07-01.zip */
export const downloadName = (from: Date, to: Date) =>
  `evidence-pack-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.zip`;

/**
 * A name safe as one zip path segment on every unzip tool: no separators, no control
 * characters, no leading dots (so never `..`), at most 120 characters, never empty.
 */
export function safeSegment(name: string): string {
  const cleaned = name
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return cleaned.slice(0, 120) || 'file';
}

/** Path of one evidence file: unique per instance, document and version. */
export const evidencePath = (instanceId: string, documentId: string, version: number, fileName: string) =>
  `reminders/evidence/${instanceId}/${documentId}-v${version}-${safeSegment(fileName)}`;

/** Path of a policy version's content. */
export const policyVersionPath = (policyId: string, policyName: string, version: number) =>
  `policies/${safeSegment(policyName)}-${policyId.slice(0, 8)}/v${version}.md`;

/** One audit entry as exported in audit/audit-log.jsonl (the fields the chain hashes, as hashed). */
export interface ExportedAuditEntry {
  seq: number;
  id: string;
  workspace_id: string;
  actor_id: string | null;
  action_type: string;
  target_type: string;
  target_id: string | null;
  /** Postgres' jsonb text of old_value / new_value: the exact bytes the hash covers. */
  old_value_text: string | null;
  new_value_text: string | null;
  description: string | null;
  ip_address: string | null;
  user_agent: string | null;
  /** UTC with microseconds, as hashed: 2026-01-31T12:00:00.123456Z */
  created_at: string;
  prev_hash: string;
  hash: string;
}

/**
 * The text the chain hashes for one entry (drizzle/0001_audit_chain.sql, audit_entry_hash):
 * the fields joined by U+001F, a missing value as the empty string.
 */
export function chainHashInput(e: ExportedAuditEntry): string {
  return [
    e.prev_hash,
    String(e.seq),
    e.id,
    e.workspace_id,
    e.actor_id ?? '',
    e.action_type,
    e.target_type,
    e.target_id ?? '',
    e.old_value_text ?? '',
    e.new_value_text ?? '',
    e.description ?? '',
    e.ip_address ?? '',
    e.user_agent ?? '',
    e.created_at,
  ].join('\u001f');
}

export const chainHash = (e: ExportedAuditEntry) =>
  createHash('sha256').update(chainHashInput(e), 'utf8').digest('hex');

/** Checks exported entries link up: gapless seq, each prev_hash the previous hash, each hash recomputed. */
export function checkExportedChain(entries: Iterable<ExportedAuditEntry>): {
  ok: boolean;
  broken_seq: number | null;
} {
  let prev: ExportedAuditEntry | null = null;
  for (const e of entries) {
    if (prev && (e.seq !== prev.seq + 1 || e.prev_hash !== prev.hash))
      return { ok: false, broken_seq: e.seq };
    if (chainHash(e) !== e.hash) return { ok: false, broken_seq: e.seq };
    prev = e;
  }
  return { ok: true, broken_seq: null };
}

/** Items done out of total, clamped, for the progress shown while a pack is written. */
export function progressOf(done: number, total: number | null): { done: number; total: number | null } {
  if (total === null) return { done: Math.max(0, done), total: null };
  return { done: Math.min(Math.max(0, done), total), total };
}

/** README.txt: how an auditor rechecks the pack with standard tools. */
export function readmeText(p: {
  workspaceId: string;
  from: string;
  to: string;
  generatedAt: string;
}): string {
  return `Vigil evidence pack
===================

Workspace: ${p.workspaceId}
Period:    ${p.from} (inclusive) to ${p.to} (exclusive)
Generated: ${p.generatedAt}

Contents
--------
manifest.json                     every other file with its sha256 and size in bytes
policies/approvals.csv            each approved policy version and its approval (who, when)
policies/<policy>/v<N>.md         the content of each approved version
acknowledgements/acknowledgements.csv
                                  who acknowledged which version, when, the content hash they
                                  saw, the channel (API, SLACK, LINK), IP address and user agent
training/assignments.csv          training assignments open in the period and their completions
certifications/held.csv           certifications held in the period and their status
certifications/status-changes.csv every status change of a held certification in the period
reminders/instances.csv           control reminders completed in the period, with their evidence
reminders/evidence/<instance>/    the evidence files, copied byte for byte from storage
escalations/escalations.csv       escalations fired in the period and whom they reached
audit/audit-log.jsonl             the audit log entries of the period, one JSON object a line
audit/chain-proof.json            first and last seq of the period with their hashes, the chain
                                  head when the pack was made, and the server's verify result

Files absent from the list were not asked for (see manifest.json, "sections").

1. Check every file against the manifest
----------------------------------------
Unzip the pack, then in its folder:

  jq -r '.files[] | "\\(.sha256)  \\(.path)"' manifest.json | sha256sum -c -

Every line must say OK. The pack's own sha256 (shown by the API, GET
/compliance/evidence-packs/{id}) is that of the zip file: sha256sum evidence-pack.zip

2. Check the audit chain
------------------------
Each entry of audit/audit-log.jsonl is hash-chained to the one before it (per workspace):

  hash = hex(sha256(UTF-8 of the fields below joined by the byte 0x1F))

in this order: prev_hash, seq, id, workspace_id, actor_id, action_type, target_type,
target_id, old_value_text, new_value_text, description, ip_address, user_agent, created_at
(a null field is the empty string; old_value_text/new_value_text are Postgres' jsonb text of
old_value/new_value exactly as hashed; created_at is UTC with microseconds). With jq:

  jq -c . audit/audit-log.jsonl | while IFS= read -r line; do
    want=$(printf '%s' "$line" | jq -r .hash)
    got=$(printf '%s' "$line" | jq -j '[.prev_hash, (.seq|tostring), .id, .workspace_id,
      (.actor_id // ""), .action_type, .target_type, (.target_id // ""),
      (.old_value_text // ""), (.new_value_text // ""), (.description // ""),
      (.ip_address // ""), (.user_agent // ""), .created_at] | join("\\u001f")' | sha256sum | cut -d' ' -f1)
    [ "$want" = "$got" ] || echo "BROKEN at seq $(printf '%s' "$line" | jq .seq)"
  done

Then check the links: the seq values are consecutive, each entry's prev_hash equals the
previous entry's hash, the first and last entries match audit/chain-proof.json ("first",
"last"), and the first entry's prev_hash is the hash of the entry before the period (seq
first-1; empty when the chain starts in the period). The period is cut by seq, from the first
entry created at or after "from" to the last created before "to", so an entry written by a
transaction that began just outside the period may appear. chain-proof.json's "head" is the
chain's newest entry when the pack was made; "verify" is the server's recomputation of the
whole chain (GET /compliance/audit-logs/verify gives the same result for the live chain, whose
head seq can only have grown).
`;
}

/** How an acknowledgement arrived, from the audit entry's `via`: API token, Slack button, signed email link. */
export function channelOf(via: string | null | undefined): string {
  switch (via) {
    case 'TOKEN':
      return 'API';
    case 'SLACK':
      return 'SLACK';
    case 'LINK':
      return 'EMAIL_LINK';
    case 'SYSTEM':
      return 'SYSTEM';
    default:
      return 'UNKNOWN';
  }
}
