import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { secondsCronReminder } from '../reminders/seconds-cron';
import { docsPath, uploadForm } from './helpers';

interface Node {
  id: string;
  name: string;
  parent_id: string | null;
  document_count: number;
  children: Node[];
}

describe('documents: folder tree and links to compliance entities', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let alice: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
    other = await h.workspace();
    alice = await ws.member('MEMBER');
  });
  afterAll(() => h.close());

  const base = () => docsPath(ws);
  const folders = () => `${base()}/folders`;
  const doc = async (name: string, token = alice.token, w = ws) => {
    const res = await uploadForm(h, w, token, {
      data: Buffer.from(name),
      filename: name,
      type: 'application/pdf',
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const folder = async (name: string, parent_id?: string | null) => {
    const res = await h.request('POST', folders(), ws.adminToken, { name, parent_id });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const tree = async () => (await h.request('GET', folders(), alice.token)).body.data as Node[];

  it('builds a nested tree with document counts; sibling names are unique', async () => {
    const policies = await folder('Policies');
    const hr = await folder('HR', policies);
    const y2024 = await folder('2024', hr);
    const audits = await folder('audits');
    const d = await doc('handbook.pdf');
    expect((await h.request('POST', `${base()}/${d}/move`, alice.token, { folder_id: y2024 })).status).toBe(
      200,
    );

    const t = await tree();
    expect(t.map((n) => n.name)).toEqual(['audits', 'Policies']);
    const p = t.find((n) => n.id === policies) as Node;
    expect(p).toMatchObject({ parent_id: null, document_count: 0 });
    expect(p.children[0]).toMatchObject({ id: hr, parent_id: policies });
    expect(p.children[0]?.children[0]).toMatchObject({ id: y2024, document_count: 1, children: [] });
    expect(t.find((n) => n.id === audits)?.children).toEqual([]);

    const dup = await h.request('POST', folders(), ws.adminToken, { name: 'hr', parent_id: policies });
    expect([dup.status, dup.body.errors[0].field]).toEqual([409, 'body.name']);
    expect((await h.request('POST', folders(), ws.adminToken, { name: 'HR' })).status).toBe(201);
    for (const [body, field] of [
      [{ name: '' }, 'body.name'],
      [{ name: 'a/b' }, 'body.name'],
      [{ name: 'x', parent_id: other.id }, 'body.parent_id'],
      [{ name: 'x', colour: 'red' }, 'body.colour'],
    ] as const) {
      const res = await h.request('POST', folders(), ws.adminToken, body);
      expect([res.status, res.body.errors[0].field]).toEqual([400, field]);
    }
    expect((await h.request('POST', folders(), alice.token, { name: 'Mine' })).status).toBe(403);
    const elsewhere = await h.request('POST', `${base()}/${d}/move`, alice.token, { folder_id: other.id });
    expect([elsewhere.status, elsewhere.body.errors[0].field]).toEqual([400, 'body.folder_id']);
  });

  it('refuses a parent that would create a cycle, and a tree deeper than 10 levels', async () => {
    const a = await folder('Cycle A');
    const b = await folder('Cycle B', a);
    const c = await folder('Cycle C', b);
    for (const parent of [a, b, c]) {
      const res = await h.request('PATCH', `${folders()}/${a}`, ws.adminToken, { parent_id: parent });
      expect([res.status, res.body.errors[0].field]).toEqual([400, 'body.parent_id']);
    }
    const moved = await h.request('PATCH', `${folders()}/${c}`, ws.adminToken, {
      parent_id: null,
      name: 'C (top)',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ parent_id: null, name: 'C (top)' });
    const back = await h.request('PATCH', `${folders()}/${b}`, ws.adminToken, { parent_id: c });
    expect(back.body.parent_id).toBe(c);

    let parent: string | null = null;
    const chain: string[] = [];
    for (let i = 1; i <= 10; i++) {
      parent = await folder(`depth ${i}`, parent);
      chain.push(parent);
    }
    const tooDeep = await h.request('POST', folders(), ws.adminToken, {
      name: 'depth 11',
      parent_id: parent,
    });
    expect([tooDeep.status, tooDeep.body.errors[0].field]).toEqual([400, 'body.parent_id']);
    // moving a two-level subtree under level 9 would reach level 11
    const under = await h.request('PATCH', `${folders()}/${c}`, ws.adminToken, { parent_id: chain[8] });
    expect([under.status, under.body.errors[0].field]).toEqual([400, 'body.parent_id']);
    expect((await h.request('PATCH', `${folders()}/${other.id}`, ws.adminToken, { name: 'x' })).status).toBe(
      404,
    );
  });

  it('deleting a non-empty folder is a 409 unless forced; forced, documents move up, never deleted', async () => {
    const top = await folder('Archive 2023');
    const q1 = await folder('Q1', top);
    const q1a = await folder('Q1-a', q1);
    const empty = await folder('Empty');
    const d1 = await doc('q1 review.pdf');
    const d2 = await doc('q1a review.pdf');
    await h.request('POST', `${base()}/${d1}/move`, alice.token, { folder_id: q1 });
    await h.request('POST', `${base()}/${d2}/move`, alice.token, { folder_id: q1a });

    expect((await h.request('DELETE', `${folders()}/${empty}`, ws.adminToken)).body).toEqual({
      ok: true,
      folders_deleted: 1,
      documents_moved: 0,
    });
    const refused = await h.request('DELETE', `${folders()}/${q1}`, ws.adminToken);
    expect([refused.status, refused.body.errors[0].field]).toEqual([409, 'query.force']);
    expect(refused.body.detail).toContain('1 sub-folders, 2 documents');
    expect((await h.request('DELETE', `${folders()}/${q1}?force=true`, alice.token)).status).toBe(403);
    const forced = await h.request('DELETE', `${folders()}/${q1}?force=true`, ws.adminToken);
    expect(forced.body).toEqual({ ok: true, folders_deleted: 2, documents_moved: 2 });
    for (const id of [d1, d2]) {
      const d = await h.request('GET', `${base()}/${id}`, alice.token);
      expect([d.body.status, d.body.folder_id]).toEqual(['ACTIVE', top]);
    }
    const t = await tree();
    expect(t.find((n) => n.id === top)).toMatchObject({ document_count: 2, children: [] });
    const trail = await h.request(
      'GET',
      `/compliance/audit-logs?action_type=FOLDER_CHANGED&limit=200`,
      ws.adminToken,
    );
    const deleted = trail.body.data.filter((e: { new_value: unknown }) => e.new_value === null);
    expect(deleted.map((e: { target_id: string }) => e.target_id).sort()).toEqual([empty, q1, q1a].sort());
  });

  it('links documents to real reminders and certifications; lists them by entity', async () => {
    const reminder = await h.request('POST', `/workspaces/${ws.id}/reminders`, ws.adminToken, {
      title: 'Quarterly access review',
      frequency: 'QUARTERLY',
      start_date: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(reminder.status).toBe(201);
    const cert = await h.request('POST', '/compliance/certifications', ws.adminToken, {
      name: 'ISO 27001 Lead Auditor',
      validity_months: 36,
    });
    expect(cert.status).toBe(201);
    const d = await doc('access review evidence.pdf');
    const links = `${base()}/${d}/links`;

    const l1 = await h.request('POST', links, alice.token, {
      entity_type: 'REMINDER',
      entity_id: reminder.body.id,
    });
    expect(l1.status).toBe(201);
    expect(l1.body).toMatchObject({
      document_id: d,
      entity_type: 'REMINDER',
      entity_id: reminder.body.id,
      created_by_id: alice.id,
    });
    const l2 = await h.request('POST', links, alice.token, {
      entity_type: 'CERTIFICATION',
      entity_id: cert.body.id,
    });
    expect(l2.status).toBe(201);
    const again = await h.request('POST', links, alice.token, {
      entity_type: 'REMINDER',
      entity_id: reminder.body.id,
    });
    expect([again.status, again.body.errors[0].field]).toEqual([409, 'body.entity_id']);
    // an id that exists, but as another kind of entity, or in another workspace, is refused
    const wrongKind = await h.request('POST', links, alice.token, {
      entity_type: 'TICKET',
      entity_id: reminder.body.id,
    });
    expect([wrongKind.status, wrongKind.body.errors[0].field]).toEqual([400, 'body.entity_id']);
    const theirs = await h.request('POST', `/workspaces/${other.id}/reminders`, other.adminToken, {
      title: 'Theirs',
      frequency: 'MONTHLY',
      start_date: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const foreign = await h.request('POST', links, alice.token, {
      entity_type: 'REMINDER',
      entity_id: theirs.body.id,
    });
    expect([foreign.status, foreign.body.errors[0].field]).toEqual([400, 'body.entity_id']);
    const badType = await h.request('POST', links, alice.token, {
      entity_type: 'reminder',
      entity_id: reminder.body.id,
    });
    expect([badType.status, badType.body.errors[0].field]).toEqual([400, 'body.entity_type']);

    const listed = await h.request('GET', links, alice.token);
    expect(listed.body.data.map((l: { id: string }) => l.id)).toEqual([l1.body.id, l2.body.id]);
    const byReminder = await h.request(
      'GET',
      `${base()}/by-entity/REMINDER/${reminder.body.id}`,
      alice.token,
    );
    expect(byReminder.status).toBe(200);
    expect(byReminder.body.data.map((x: { id: string }) => x.id)).toEqual([d]);
    const byCert = await h.request('GET', `${base()}/by-entity/CERTIFICATION/${cert.body.id}`, alice.token);
    expect(byCert.body.data.map((x: { id: string }) => x.id)).toEqual([d]);
    expect(
      (await h.request('GET', `${base()}/by-entity/REMINDER/${theirs.body.id}`, alice.token)).status,
    ).toBe(404);
    expect((await h.request('GET', `${base()}/by-entity/SPREADSHEET/${d}`, alice.token)).status).toBe(400);

    // a deleted document drops out of by-entity unless asked for
    await h.request('DELETE', `${base()}/${d}`, alice.token);
    expect(
      (await h.request('GET', `${base()}/by-entity/REMINDER/${reminder.body.id}`, alice.token)).body.data,
    ).toEqual([]);
    const withDeleted = await h.request(
      'GET',
      `${base()}/by-entity/REMINDER/${reminder.body.id}?status=DELETED`,
      alice.token,
    );
    expect(withDeleted.body.data.map((x: { id: string }) => x.id)).toEqual([d]);

    const d2 = await doc('cert scan.pdf');
    const l3 = await h.request('POST', `${base()}/${d2}/links`, alice.token, {
      entity_type: 'CERTIFICATION',
      entity_id: cert.body.id,
    });
    const gone = await h.request('DELETE', `${base()}/${d2}/links/${l3.body.id}`, alice.token);
    expect(gone).toMatchObject({ status: 200, body: { ok: true } });
    expect((await h.request('DELETE', `${base()}/${d2}/links/${l3.body.id}`, alice.token)).status).toBe(404);
    expect(
      (await h.request('GET', `${base()}/by-entity/CERTIFICATION/${cert.body.id}`, alice.token)).body.data,
    ).toEqual([]);
    const trail = await h.request('GET', `/compliance/audit-logs?target_id=${d2}`, ws.adminToken);
    // (the system's extraction entries arrive on their own schedule; this checks the member's actions)
    const byMembers = trail.body.data.filter((e: { actor_id: string | null }) => e.actor_id !== null);
    expect(byMembers.map((e: { action_type: string }) => e.action_type)).toEqual([
      'DOCUMENT_UNLINKED',
      'DOCUMENT_LINKED',
      'DOCUMENT_UPLOADED',
    ]);
  });

  it('a reminder instance lists its linked documents and the documents its completion evidence names', async () => {
    const reminder = await secondsCronReminder(h, ws, {
      title: 'Rotate the break-glass password',
      frequency: 'CUSTOM',
      cron_expression: '*/3 * * * * *',
      start_date: new Date().toISOString(),
      default_owner_id: alice.id,
      requires_evidence: true,
      notification_config: { lead_time: 'PT2S' },
    });
    expect(reminder.status).toBe(200);
    const instance = await eventually(async () => {
      const res = await h.request(
        'GET',
        `/workspaces/${ws.id}/reminders/${reminder.body.id}/instances?limit=50`,
        ws.adminToken,
      );
      return (res.body.data as Array<{ id: string; status: string }>).find((i) => i.status !== 'COMPLETED');
    });
    const linked = await doc('vault rotation log.pdf');
    const evidence = await doc('rotation screenshot.pdf');
    const link = await h.request('POST', `${base()}/${linked}/links`, alice.token, {
      entity_type: 'REMINDER_INSTANCE',
      entity_id: instance.id,
    });
    expect(link.status).toBe(201);
    const done = await h.request(
      'POST',
      `/workspaces/${ws.id}/reminders/instances/${instance.id}/complete`,
      ws.adminToken,
      { evidence_links: [{ document_id: evidence, title: 'Screenshot' }] },
    );
    expect(done.status).toBe(200);
    const byInstance = await h.request(
      'GET',
      `${base()}/by-entity/REMINDER_INSTANCE/${instance.id}`,
      alice.token,
    );
    expect(byInstance.status).toBe(200);
    expect(byInstance.body.data.map((x: { id: string }) => x.id)).toEqual([evidence, linked]);
  });
});
