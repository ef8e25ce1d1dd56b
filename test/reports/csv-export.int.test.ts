import { audit } from '@vigil/domains/audit/service';
import { parse } from 'csv-parse/sync';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * CSV exports: the reports and the audit log answer `Accept: text/csv` and `?format=csv`
 * with the same rows as their JSON (header row = the JSON field names, nested values as
 * JSON, null empty), streamed; roles and tenancy as for JSON.
 */
describe('CSV exports for auditors', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let auditor: { id: string; token: string };
  let member: { id: string; token: string };
  const DAY = 86_400_000;

  const csv = async (path: string, token: string, how: 'accept' | 'query' = 'accept') => {
    const sep = path.includes('?') ? '&' : '?';
    const res = await fetch(`${h.baseUrl}${path}${how === 'query' ? `${sep}format=csv` : ''}`, {
      headers: { authorization: `Bearer ${token}`, ...(how === 'accept' ? { accept: 'text/csv' } : {}) },
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), res, text };
  };
  const rowsOf = (text: string): Record<string, string>[] => parse(text, { columns: true });
  /** A JSON value as the CSV cell it becomes. */
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const asCells = (row: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cell(v)]));

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    other = await h.workspace();
    auditor = await ws.member('AUDITOR');
    member = await ws.member('MEMBER', { name: 'Dana, "the dev"' });
    const dev2 = await ws.member('MEMBER');
    const training = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Security awareness',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    for (const [dev, days] of [
      [member.id, -4.5],
      [dev2.id, -2.5],
    ] as const) {
      const a = await h.request('POST', '/compliance/assignments', ws.adminToken, {
        mandatory_training_id: training.body.id,
        developer_id: dev,
        due_date: new Date(Date.now() + days * DAY).toISOString(),
      });
      expect(a.status).toBe(201);
    }
  });
  afterAll(() => h.close());

  it('GET /compliance/reports/overdue with Accept: text/csv streams the JSON rows as CSV', async () => {
    const json = await h.request('GET', '/compliance/reports/overdue', auditor.token);
    expect(json.status).toBe(200);
    expect(json.body.data.length).toBe(2);
    const out = await csv('/compliance/reports/overdue', auditor.token);
    expect(out.status).toBe(200);
    expect(out.type).toMatch(/^text\/csv/);
    expect(out.res.headers.get('content-disposition')).toBe('attachment; filename="overdue.csv"');
    expect(out.text.split('\n')[0]).toBe(
      'kind,id,title,owner_id,owner_name,due_at,days_overdue,escalation_level',
    );
    expect(rowsOf(out.text)).toEqual(json.body.data.map(asCells));
    // a name with a comma and quotes survives quoting
    expect(rowsOf(out.text).map((r) => r.owner_name)).toContain('Dana, "the dev"');
    // ?format=csv does the same; filters still apply
    const q = await csv(`/compliance/reports/overdue?owner_id=${member.id}`, auditor.token, 'query');
    expect(q.type).toMatch(/^text\/csv/);
    expect(rowsOf(q.text).map((r) => r.owner_id)).toEqual([member.id]);
    // format=json wins over the Accept header
    const j = await fetch(`${h.baseUrl}/compliance/reports/overdue?format=json`, {
      headers: { authorization: `Bearer ${auditor.token}`, accept: 'text/csv' },
    });
    expect(j.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('keeps roles, tenancy and bad input as for JSON', async () => {
    const denied = await csv('/compliance/reports/overdue', member.token);
    expect(denied.status).toBe(403);
    expect(denied.type).toMatch(/application\/problem\+json/);
    const bad = await csv('/compliance/reports/overdue?limit=0', auditor.token, 'query');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).errors[0].field).toBe('query.limit');
    const badFormat = await h.request('GET', '/compliance/reports/overdue?format=xml', auditor.token);
    expect([badFormat.status, badFormat.body.errors[0].field]).toEqual([400, 'query.format']);
    // another workspace's rows are not there; its member's report is a 404
    expect(rowsOf((await csv('/compliance/reports/overdue', other.adminToken)).text)).toEqual([]);
    const foreign = await csv(`/compliance/reports/developer/${member.id}`, other.adminToken);
    expect(foreign.status).toBe(404);
  });

  it('the other reports export too: one row for the overview and a member, the rows of expiring certifications', async () => {
    const overview = await h.request('GET', '/compliance/reports/overview', auditor.token);
    const o = rowsOf((await csv('/compliance/reports/overview', auditor.token)).text);
    expect(o).toHaveLength(1);
    expect(Object.keys(o[0] ?? {})).toEqual(Object.keys(overview.body));
    expect(JSON.parse(o[0]?.training ?? 'null')).toEqual(overview.body.training);
    const dev = rowsOf((await csv(`/compliance/reports/developer/${member.id}`, auditor.token)).text);
    expect(dev[0]?.status).toBe('NON_COMPLIANT');
    const exp = await csv('/compliance/reports/expiring-certifications', auditor.token);
    expect(exp.status).toBe(200);
    // no rows: the header row alone
    expect(exp.text.trim()).toBe(
      'id,certification_id,certification_name,is_required,developer_id,developer_name,status,expiry_date,days_until_expiry',
    );
  });

  it('the audit log exports every matching entry, walking its pages, newest first', async () => {
    // more entries than one page of the export (500), written as the API's audit helper does
    await audit(
      h.deps.db,
      ws.ctx,
      Array.from({ length: 600 }, (_, i) => ({
        action: 'EXTERNAL_ACTION' as const,
        targetType: 'policy',
        targetId: `p-${i}`,
        newValue: { action: 'POLICY_PRINTED', details: { copy: i, note: 'line\nbreak' } },
        description: 'POLICY_PRINTED',
      })),
    );
    const json: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const page = await h.request(
        'GET',
        `/compliance/audit-logs?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        auditor.token,
      );
      json.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(json.length).toBeGreaterThan(600);
    const out = await csv('/compliance/audit-logs', auditor.token);
    expect(out.type).toMatch(/^text\/csv/);
    const rows = rowsOf(out.text);
    expect(rows).toEqual(json.map(asCells));
    expect(JSON.parse(rows.find((r) => r.target_id === 'p-7')?.new_value ?? '{}')).toMatchObject({
      details: { copy: 7, note: 'line\nbreak' },
    });
    // filters apply; another workspace sees only its own entries
    const one = rowsOf((await csv('/compliance/audit-logs?target_id=p-3', auditor.token, 'query')).text);
    expect(one.map((r) => r.target_id)).toEqual(['p-3']);
    const theirs = rowsOf((await csv('/compliance/audit-logs', other.adminToken)).text);
    expect(theirs.every((r) => r.workspace_id === other.id)).toBe(true);
    // auditors read, but write nothing
    const write = await h.request('POST', '/api/audit/log', auditor.token, { action: 'X', target_type: 'y' });
    expect(write.status).toBe(403);
  });
});
