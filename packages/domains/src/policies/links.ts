import type { AccessRole, AuthContext } from '@vigil/kernel/auth';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Executor } from '../db';
import { members } from '../people/schema';
import { type ClientMeta, recordAck } from './ack-service';
import type { ObligationRef } from './acks';
import { hashLinkToken } from './kind';
import { diffVersions, type LineDiff, OPEN_ACK } from './rules';
import { acknowledgementLinks, acknowledgementRequests, policies, policyVersions } from './schema';

export const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export class LinkError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
  ) {
    super(title);
  }
}

const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

async function findLink(db: Executor, token: string, lock: boolean) {
  if (!TOKEN_RE.test(token)) throw new LinkError(404, 'This link is not valid.');
  const q = db
    .select()
    .from(acknowledgementLinks)
    .where(eq(acknowledgementLinks.tokenHash, hashLinkToken(token)));
  const [link] = lock ? await q.for('update') : await q;
  if (!link) throw new LinkError(404, 'This link is not valid.');
  if (link.usedAt) throw new LinkError(410, 'This link has already been used.');
  if (link.expiresAt.getTime() <= Date.now()) throw new LinkError(410, 'This link has expired.');
  return link;
}

async function pendingOf(db: Executor, obligationId: string) {
  return db
    .select({ r: acknowledgementRequests, v: policyVersions, name: policies.name })
    .from(acknowledgementRequests)
    .innerJoin(policyVersions, eq(policyVersions.id, acknowledgementRequests.policyVersionId))
    .innerJoin(policies, eq(policies.id, acknowledgementRequests.policyId))
    .where(
      and(
        eq(acknowledgementRequests.obligationId, obligationId),
        inArray(acknowledgementRequests.status, [...OPEN_ACK]),
      ),
    );
}

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}.add{background:#e6ffec}.remove{background:#ffebe9;text-decoration:line-through}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function diffHtml(d: LineDiff): string {
  const lines = d.hunks
    .filter((h) => h.op !== 'same')
    .flatMap((h) =>
      h.lines.map((l) => `<div class="${h.op}">${h.op === 'add' ? '+' : '-'} ${escapeHtml(l)}</div>`),
    );
  return `<h3>What changed since version ${d.from_version} (${d.added} added, ${d.removed} removed)</h3><pre>${lines.join('')}</pre>`;
}

/** The page behind a link: each pending policy's text and, for a re-acknowledgement, the diff. */
export async function renderLinkPage(db: Db, token: string): Promise<string> {
  const link = await findLink(db, token, false);
  const pending = await pendingOf(db, link.obligationId);
  if (!pending.length) throw new LinkError(410, 'Nothing is waiting for your acknowledgement.');
  const [member] = await db
    .select({ name: members.name, email: members.email })
    .from(members)
    .where(eq(members.id, link.memberId));
  // The link is the member's own: the page says whose acknowledgement it records.
  const sections: string[] = [
    `<p class="for">This link records the acknowledgement of <strong>${escapeHtml(member?.name ?? '')}</strong> (${escapeHtml(member?.email ?? '')}). If you are not ${escapeHtml(member?.name ?? 'them')}, do not use it.</p>`,
  ];
  for (const p of pending) {
    const [last] = await db
      .select({ v: policyVersions })
      .from(acknowledgementRequests)
      .innerJoin(policyVersions, eq(policyVersions.id, acknowledgementRequests.policyVersionId))
      .where(
        and(
          eq(acknowledgementRequests.memberId, link.memberId),
          eq(acknowledgementRequests.policyId, p.r.policyId),
          eq(acknowledgementRequests.status, 'ACKNOWLEDGED'),
        ),
      )
      .orderBy(desc(acknowledgementRequests.acknowledgedAt))
      .limit(1);
    const changed = last && last.v.id !== p.v.id ? diffHtml(diffVersions(last.v, p.v)) : '';
    sections.push(
      `<section><h2>${escapeHtml(p.name)} (version ${p.v.number})</h2>${changed}<pre>${escapeHtml(p.v.content)}</pre></section>`,
    );
  }
  const action = `/ack/${encodeURIComponent(token)}`;
  return page(
    'Policies to acknowledge',
    `${sections.join('')}<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="confirm" value="yes">
<button type="submit">I have read and acknowledge ${pending.length === 1 ? 'this policy' : `these ${pending.length} policies`}</button></form>`,
  );
}

/** Uses the link once: records every pending acknowledgement with the caller's IP and user agent. */
export async function submitLink(db: Db, token: string, meta: ClientMeta) {
  const result = await db.transaction(async (tx) => {
    const link = await findLink(tx, token, true);
    const [member] = await tx.select().from(members).where(eq(members.id, link.memberId));
    if (member?.status !== 'ACTIVE') throw new LinkError(410, 'This link is no longer valid.');
    await tx
      .update(acknowledgementLinks)
      .set({ usedAt: new Date() })
      .where(eq(acknowledgementLinks.id, link.id));
    const ctx: AuthContext = {
      workspaceId: link.workspaceId,
      memberId: link.memberId,
      role: member.accessRole as AccessRole,
      tokenId: null,
      ip: meta.ip,
      userAgent: meta.userAgent,
      via: 'LINK',
    };
    const pending = await pendingOf(tx, link.obligationId);
    if (!pending.length) throw new LinkError(410, 'Nothing is waiting for your acknowledgement.');
    const settled: ObligationRef[] = [];
    const names: string[] = [];
    for (const p of pending) {
      const res = await recordAck(tx, ctx, link.memberId, p.r.policyId, meta);
      settled.push(...res.settled);
      names.push(`${p.name} (version ${res.version.number})`);
    }
    return { settled, names };
  });
  return page(
    'Thank you',
    `<p>Your acknowledgement of the following policies was recorded:</p><ul>${result.names
      .map((n) => `<li>${escapeHtml(n)}</li>`)
      .join('')}</ul>`,
  );
}
