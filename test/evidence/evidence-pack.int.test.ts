import { createHash, randomUUID } from 'node:crypto';
import { seedDemoWorkspace } from '@vigil/domains/people/seed';
import { strFromU8, unzipSync } from 'fflate';
import { uploadPresigned } from '../documents/helpers';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** The chain hash, written here from drizzle/0001_audit_chain.sql, independently of the API's code. */
function recompute(e: Record<string, unknown>): string {
  const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const fields = [
    e.prev_hash,
    e.seq,
    e.id,
    e.workspace_id,
    e.actor_id,
    e.action_type,
    e.target_type,
    e.target_id,
    e.old_value_text,
    e.new_value_text,
    e.description,
    e.ip_address,
    e.user_agent,
    e.created_at,
  ].map(s);
  return sha256(Buffer.from(fields.join('\u001f'), 'utf8'));
}

/** A seeding call must succeed (any 2xx); otherwise the failure says what the API answered. */
function ok(r: { status: number; body: unknown }) {
  if (r.status >= 300) throw new Error(`seeding call failed: ${r.status} ${JSON.stringify(r.body)}`);
}

const csvRows = (text: string) => text.trim().split('\n');

describe('evidence packs: one zip per period, rechecked against its manifest and the audit chain', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let auditor: { id: string; token: string };
  let member: { id: string; token: string };
  let approver: { id: string; token: string };
  const from = new Date(Date.now() - 3600_000).toISOString();
  let evidenceBytes: Buffer;
  let instanceId: string;

  beforeAll(async () => {
    // The run's S3-compatible server, a bucket per harness.
    h = await startHarness({ worker: true });
    ws = await h.workspace();
    other = await h.workspace();
    auditor = await ws.member('AUDITOR');
    member = await ws.member('MEMBER', { name: 'Mo Member' });
    approver = await ws.member('APPROVER');
    const api = (m: string, p: string, body?: unknown, token = ws.adminToken) => h.request(m, p, token, body);

    // Two approved policies, acknowledged by the member.
    for (const name of ['Access control', 'Secure coding']) {
      const p = await api('POST', '/api/policies', {
        name,
        content: `# ${name}\nEvery change is reviewed.\n`,
      });
      ok(p);
      ok(await api('POST', `/api/policies/${p.body.policy.id}/approve`, undefined, approver.token));
      const ack = await api('POST', `/api/acknowledge/${p.body.policy.id}`, undefined, member.token);
      ok(ack);
    }
    // Training assigned and completed.
    const t = await api('POST', '/compliance/mandatory-training', {
      name: 'Security awareness',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    const a = await api('POST', '/compliance/assignments', {
      mandatory_training_id: t.body.id,
      developer_id: member.id,
      due_date: new Date(Date.now() + 86400_000).toISOString(),
    });
    ok(a);
    ok(await api('POST', `/compliance/assignments/${a.body.id}/complete`, undefined, member.token));
    // A certification held.
    const def = await api('POST', '/compliance/certifications', {
      name: 'Cloud security',
      validity_months: 12,
    });
    const held = await api('POST', '/compliance/developer-certifications', {
      developer_id: member.id,
      certification_id: def.body.id,
      credential_id: 'CS-1',
    });
    ok(held);
    // A control reminder instance, completed with an evidence document stored in S3.
    evidenceBytes = Buffer.from(`%PDF-1.7\nAccess review Q3 ${randomUUID()}\n%%EOF\n`);
    const doc = await uploadPresigned(h, ws, member.token, evidenceBytes, { fileName: 'access review.pdf' });
    ok(doc);
    const reminderId = randomUUID();
    instanceId = randomUUID();
    await h.deps.pool.query(
      `INSERT INTO reminders (id, workspace_id, title, frequency, start_date, control_id, default_owner_id)
       VALUES ($1, $2, 'Quarterly access review', 'QUARTERLY', now(), 'CC6.2', $3)`,
      [reminderId, ws.id, member.id],
    );
    await h.deps.pool.query(
      `INSERT INTO reminder_instances (id, workspace_id, reminder_id, due_date, assigned_owner_id)
       VALUES ($1, $2, $3, now() + interval '7 days', $4)`,
      [instanceId, ws.id, reminderId, member.id],
    );
    const done = await api(
      'POST',
      `/workspaces/${ws.id}/reminders/instances/${instanceId}/complete`,
      { notes: 'Reviewed', evidence_links: [{ document_id: doc.body.id }] },
      member.token,
    );
    ok(done);
    // An escalation fired (recorded as the engine records one).
    await h.deps.pool.query(
      `INSERT INTO escalations (id, workspace_id, kind, obligation_id, level, target, target_member_ids, channels)
       VALUES ($1, $2, 'training_assignment', $3, 'L1', '{"type":"MANAGER"}', $4, '["EMAIL"]')`,
      [randomUUID(), ws.id, a.body.id, JSON.stringify([ws.adminId])],
    );
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (token: string, body: unknown) =>
    h.request('POST', '/compliance/evidence-packs', token, body);
  const ready = async (id: string, token: string) => {
    const pack = await eventually(
      async () => {
        const r = await h.request('GET', `/compliance/evidence-packs/${id}`, token);
        return r.body.status === 'READY' || r.body.status === 'FAILED' ? r.body : null;
      },
      60_000,
      250,
    );
    expect([pack.status, pack.error]).toEqual(['READY', null]);
    return pack;
  };

  it('writes a zip whose every file matches the manifest, with an intact audit chain', async () => {
    const res = await create(ws.adminToken, { from, to: new Date(Date.now() + 60_000).toISOString() });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'PENDING', download_url: null, progress: { done: 0 } });
    const pack = await ready(res.body.id, ws.adminToken);
    expect(pack.progress.done).toBe(pack.progress.total);
    expect(pack.progress.total).toBeGreaterThan(5);
    expect(pack.download_url).toEqual(expect.any(String));

    const zipBytes = new Uint8Array(await (await fetch(pack.download_url)).arrayBuffer());
    expect(zipBytes.length).toBe(pack.size_bytes);
    expect(sha256(zipBytes)).toBe(pack.sha256);
    const files = unzipSync(zipBytes);
    const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array));
    expect(manifest).toMatchObject({
      workspace: { id: ws.id },
      period: { from: new Date(from).toISOString() },
    });
    expect(manifest.generated_at).toEqual(expect.any(String));
    const listed = manifest.files as Array<{ path: string; sha256: string; size: number }>;
    expect(listed.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .filter((p) => p !== 'manifest.json')
        .sort(),
    );
    for (const f of listed) {
      const bytes = files[f.path] as Uint8Array;
      expect([f.path, sha256(bytes), bytes.length]).toEqual([f.path, f.sha256, f.size]);
    }
    expect(manifest.missing_evidence).toEqual([]);
    expect(manifest.mismatched_evidence).toEqual([]);

    const text = (p: string) => strFromU8(files[p] as Uint8Array);
    expect(text('README.txt')).toContain('sha256sum -c');
    const policies = csvRows(text('policies/approvals.csv'));
    expect(policies).toHaveLength(3);
    expect(policies[0]).toContain('approved_by_id');
    const acks = csvRows(text('acknowledgements/acknowledgements.csv'));
    expect(acks[0]).toBe(
      'acknowledgement_id,member_id,member_name,member_email,policy_id,policy_name,version,policy_version_id,' +
        'content_sha256,acknowledged_at,acknowledgement_type,channel,ip_address,user_agent',
    );
    expect(acks).toHaveLength(3);
    expect(acks[1]).toContain('Mo Member');
    expect(acks[1]).toContain(',API,');
    // Each approved version's content is in the pack and hashes to the content_sha256 acknowledged.
    const mdFiles = Object.keys(files).filter((p) => p.startsWith('policies/') && p.endsWith('.md'));
    expect(mdFiles).toHaveLength(2);
    for (const p of mdFiles) expect(acks.join('\n')).toContain(sha256(files[p] as Uint8Array));
    expect(csvRows(text('training/assignments.csv'))).toHaveLength(2);
    expect(csvRows(text('certifications/held.csv'))[1]).toContain('CS-1');
    expect(csvRows(text('certifications/status-changes.csv')).length).toBeGreaterThanOrEqual(2);
    const instances = csvRows(text('reminders/instances.csv'));
    expect(instances).toHaveLength(2);
    const evidence = Object.keys(files).filter((p) => p.startsWith(`reminders/evidence/${instanceId}/`));
    expect(evidence).toHaveLength(1);
    expect(Buffer.from(files[evidence[0] as string] as Uint8Array).equals(evidenceBytes)).toBe(true);
    expect(instances[1]).toContain(evidence[0]);
    expect(csvRows(text('escalations/escalations.csv'))).toHaveLength(2);

    // The audit chain, recomputed from the JSONL alone.
    const entries = text('audit/audit-log.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const proof = JSON.parse(text('audit/chain-proof.json'));
    expect(entries.length).toBeGreaterThan(10);
    entries.forEach((e, i) => {
      expect([e.seq, recompute(e)]).toEqual([e.seq, e.hash]);
      if (i > 0) {
        expect(e.seq).toBe(entries[i - 1].seq + 1);
        expect(e.prev_hash).toBe(entries[i - 1].hash);
      }
    });
    const first = entries[0];
    const last = entries[entries.length - 1];
    expect(proof.first).toMatchObject({ seq: first.seq, hash: first.hash, prev_hash: first.prev_hash });
    expect(proof.last).toMatchObject({ seq: last.seq, hash: last.hash });
    expect(proof.entries).toBe(entries.length);
    expect(proof.verify).toMatchObject({ ok: true, first_broken_seq: null });
    expect(proof.head.seq).toBeGreaterThanOrEqual(last.seq);
    expect(proof.export_check).toEqual({ ok: true, first_broken_seq: null });
    // The workspace's chain starts in the period: its first entry links to nothing.
    expect(first.seq).toBe(1);
    expect(first.prev_hash).toBe('');

    // Listed, and audited.
    const list = await h.request('GET', '/compliance/evidence-packs?limit=1', auditor.token);
    expect(list.status).toBe(200);
    expect(list.body.data[0].id).toBe(res.body.id);
    const audit = await h.request('GET', '/compliance/audit-logs?target_type=evidence_pack', ws.adminToken);
    expect(audit.body.data.map((e: { action_type: string }) => e.action_type).sort()).toEqual([
      'EVIDENCE_PACK_GENERATED',
      'EVIDENCE_PACK_REQUESTED',
    ]);
  });

  it('packs the live demo workspace: every file matches the manifest and the chain recomputes', async () => {
    const demo = await seedDemoWorkspace(h.deps, { trainingDueInMs: 60_000 });
    const token = demo.adminToken as string;
    const res = await create(token, { from, to: new Date(Date.now() + 60_000).toISOString() });
    expect(res.status).toBe(202);
    const pack = await ready(res.body.id, token);
    const files = unzipSync(new Uint8Array(await (await fetch(pack.download_url)).arrayBuffer()));
    const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array));
    expect(manifest.workspace.id).toBe(demo.workspaceId);
    for (const f of manifest.files as Array<{ path: string; sha256: string; size: number }>) {
      const bytes = files[f.path] as Uint8Array;
      expect([f.path, sha256(bytes), bytes.length]).toEqual([f.path, f.sha256, f.size]);
    }
    // The demo's approved policy and its acknowledgement requests are in it.
    expect(csvRows(strFromU8(files['policies/approvals.csv'] as Uint8Array)).length).toBeGreaterThan(1);
    const entries = strFromU8(files['audit/audit-log.jsonl'] as Uint8Array)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.length).toBeGreaterThan(10);
    entries.forEach((e, i) => {
      expect([e.seq, recompute(e)]).toEqual([e.seq, e.hash]);
      if (i > 0) expect(e.prev_hash).toBe(entries[i - 1].hash);
    });
  });

  it('roles and tenancy: members 403, auditors create and download, another workspace 404', async () => {
    const to = new Date(Date.now() + 60_000).toISOString();
    expect((await create(member.token, { from, to })).status).toBe(403);
    const mine = await create(auditor.token, { from, to, include: ['POLICIES', 'AUDIT_LOG'] });
    expect(mine.status).toBe(202);
    expect(mine.body.include).toEqual(['POLICIES', 'AUDIT_LOG']);
    const pack = await ready(mine.body.id, auditor.token);
    const zip = unzipSync(new Uint8Array(await (await fetch(pack.download_url)).arrayBuffer()));
    expect(Object.keys(zip).some((p) => p.startsWith('acknowledgements/'))).toBe(false);
    expect(zip['audit/chain-proof.json']).toBeDefined();
    // The auditor still writes nothing else.
    expect(
      (await h.request('POST', '/compliance/mandatory-training', auditor.token, { name: 'x' })).status,
    ).toBe(403);
    expect((await h.request('GET', `/compliance/evidence-packs/${mine.body.id}`, member.token)).status).toBe(
      403,
    );
    expect(
      (await h.request('GET', `/compliance/evidence-packs/${mine.body.id}`, other.adminToken)).status,
    ).toBe(404);
    const theirs = await h.request('GET', '/compliance/evidence-packs', other.adminToken);
    expect(theirs.body.data).toEqual([]);
  });

  it('bad from/to answer 400 naming the field, writing nothing', async () => {
    const bad = async (body: unknown, field: string) => {
      const r = await create(ws.adminToken, body);
      expect([r.status, r.headers.get('content-type')]).toEqual([
        400,
        expect.stringContaining('problem+json'),
      ]);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    const before = (await h.request('GET', '/compliance/evidence-packs?limit=200', ws.adminToken)).body.data
      .length;
    await bad({ from: 'yesterday', to: new Date().toISOString() }, 'body.from');
    await bad({ from }, 'body.to');
    await bad({ from, to: from }, 'body.to');
    await bad(
      {
        from: new Date(Date.now() + 86400_000).toISOString(),
        to: new Date(Date.now() + 2 * 86400_000).toISOString(),
      },
      'body.from',
    );
    await bad({ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'body.to');
    await bad({ from, to: new Date().toISOString(), include: ['NOPE'] }, 'body.include.0');
    await bad({ from, to: new Date().toISOString(), extra: 1 }, 'body.extra');
    expect(
      (await h.request('GET', '/compliance/evidence-packs?limit=200', ws.adminToken)).body.data,
    ).toHaveLength(before);
  });
});
