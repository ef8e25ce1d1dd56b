// The audit section: the period's entries as JSONL, cut by seq so the chain is contiguous,
// and the chain proof (first and last entry, the head, the server's verify result).
import { Readable } from 'node:stream';
import { verifyChain } from '../audit/service';
import { chainHash, type ExportedAuditEntry } from './rules';
import type { SectionContext } from './sections';

type Bounds = { first: string | null; last: string | null };

export async function writeAuditLog(c: SectionContext): Promise<void> {
  const args = [c.workspaceId, c.from, c.to];
  const [b] = await c.snap.query<Bounds>(
    `SELECT min(seq) FILTER (WHERE created_at >= $2::timestamptz)::text AS first,
            max(seq) FILTER (WHERE created_at < $3::timestamptz)::text AS last
       FROM audit_logs WHERE workspace_id = $1 AND created_at >= $2::timestamptz - interval '1 hour'
        AND created_at < $3::timestamptz + interval '1 hour'`,
    args,
  );
  const first = b?.first ? Number(b.first) : null;
  const last = b?.last ? Number(b.last) : null;
  let count = 0;
  let firstEntry: ExportedAuditEntry | null = null;
  let lastEntry: ExportedAuditEntry | null = null;
  let broken: number | null = null;

  async function* lines() {
    if (first === null || last === null || last < first) return;
    const rows = c.snap.rows<ExportedAuditEntry & { seq: string }>(
      `SELECT seq::text AS seq, id, workspace_id, actor_id, action_type, target_type, target_id,
              old_value::text AS old_value_text, new_value::text AS new_value_text, description,
              ip_address, user_agent,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
              prev_hash, hash
         FROM audit_logs WHERE workspace_id = $1 AND seq BETWEEN $2::bigint AND $3::bigint ORDER BY audit_logs.seq`,
      [c.workspaceId, first, last],
    );
    for await (const raw of rows) {
      const e: ExportedAuditEntry = { ...raw, seq: Number(raw.seq) };
      // The export checks itself as it goes: gapless, linked, and every hash recomputed.
      if (broken === null) {
        if (lastEntry && (e.seq !== lastEntry.seq + 1 || e.prev_hash !== lastEntry.hash)) broken = e.seq;
        else if (chainHash(e) !== e.hash) broken = e.seq;
      }
      firstEntry ??= e;
      lastEntry = e;
      count++;
      const line = {
        ...e,
        old_value: e.old_value_text === null ? null : JSON.parse(e.old_value_text),
        new_value: e.new_value_text === null ? null : JSON.parse(e.new_value_text),
      };
      yield `${JSON.stringify(line)}\n`;
      await c.tick();
    }
  }
  await c.zip.add('audit/audit-log.jsonl', Readable.from(lines(), { objectMode: false }));

  const [head] = await c.snap.query<{ seq: string; hash: string }>(
    'SELECT seq::text AS seq, hash FROM audit_chain_heads WHERE workspace_id = $1',
    [c.workspaceId],
  );
  const verify = await verifyChain(c.snap.db, c.workspaceId);
  const f = firstEntry as ExportedAuditEntry | null;
  const l = lastEntry as ExportedAuditEntry | null;
  const proof = {
    workspace_id: c.workspaceId,
    period: { from: c.from.toISOString(), to: c.to.toISOString() },
    entries: count,
    first: f ? { seq: f.seq, hash: f.hash, prev_hash: f.prev_hash, created_at: f.created_at } : null,
    last: l ? { seq: l.seq, hash: l.hash, created_at: l.created_at } : null,
    head: { seq: head ? Number(head.seq) : 0, hash: head?.hash ?? '' },
    verify,
    export_check: { ok: broken === null, first_broken_seq: broken },
    hash: 'sha256 hex of the UTF-8 fields joined by U+001F, see README.txt',
  };
  await c.zip.add('audit/chain-proof.json', `${JSON.stringify(proof, null, 2)}\n`);
}
