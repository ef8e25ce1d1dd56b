import { auditLogs } from '@vigil/domains/audit/schema';
import { questionnaires } from '@vigil/domains/questionnaires/schema';
import { reminders } from '@vigil/domains/reminders/schema';
import { newId } from '@vigil/kernel/ids';
import { and, eq } from 'drizzle-orm';
import * as XLSX from 'xlsx';
import { type Harness, type HttpResult, startHarness, type TestWorkspace } from '../harness';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function workbook(): Buffer {
  const wb = XLSX.utils.book_new();
  const rows = [
    ['Vendor security questionnaire'],
    ['ID', 'Question', 'Answer', 'Comments'],
    ['Access Control'],
    ['AC-1', 'Do you review user access quarterly?', 'Yes', ''],
    ['AC-2', 'Is MFA enforced for all administrator accounts?', 'Yes', ''],
    ['AC-3', 'Do you review user access quarterly', 'Yes', 'duplicate wording'],
    ['BK-1', 'Are backups restored in a test monthly?', 'Yes', ''],
    ['BK-2', '', 'Yes', 'question text missing'],
    [],
    ['PH-1', 'Do you have CCTV at every data center?', 'No', ''],
    ['IR-1', 'Is the incident response plan tested annually?', 'Yes', ''],
  ];
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Security');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('questionnaires: upload, analyze, suggestions, delete', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
    other = await h.workspace();
  });
  afterAll(() => h.close());

  const base = (w: TestWorkspace = ws) => `/workspaces/${w.id}/questionnaires`;

  async function upload(
    token: string,
    body: Buffer,
    contentType: string,
    query = '?filename=vendor.xlsx',
    w: TestWorkspace = ws,
  ): Promise<HttpResult> {
    const res = await fetch(`${h.baseUrl}${base(w)}/upload${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: new Uint8Array(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  it('uploads raw, analyzes idempotently, feeds suggestions, and deletes keeping accepted reminders', async () => {
    const file = workbook();
    const up = await upload(ws.adminToken, file, XLSX_MIME);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      file_name: 'vendor.xlsx',
      name: 'vendor',
      mime_type: XLSX_MIME,
      size_bytes: file.length,
      status: 'UPLOADED',
      question_count: 6,
      uploaded_by_id: ws.adminId,
    });
    const id: string = up.body.id;

    const meta = await h.request('GET', `${base()}/${id}`, ws.adminToken);
    expect(meta.status).toBe(200);
    expect(meta.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const list = await h.request('GET', base(), ws.adminToken);
    expect(list.body.data.map((q: { id: string }) => q.id)).toContain(id);

    const qs = await h.request('GET', `${base()}/${id}/questions`, ws.adminToken);
    expect(qs.status).toBe(200);
    // a page of at most 50 by default: all 11 rows (the empty row 9 included), and no next page
    expect(qs.body.data).toHaveLength(11);
    expect(qs.body.next_cursor).toBeNull();
    const kinds = qs.body.data.map((r: { kind: string }) => r.kind);
    expect(kinds.filter((k: string) => k === 'HEADER')).toHaveLength(3);
    // BK-2 has no question text; row 9 is completely empty: both are blanks
    expect(kinds.filter((k: string) => k === 'BLANK')).toHaveLength(2);
    expect(qs.body.data.find((r: { row_number: number }) => r.row_number === 9)).toMatchObject({
      kind: 'BLANK',
      text: '',
    });
    expect(qs.body.data.find((r: { question_id: string }) => r.question_id === 'AC-2')).toMatchObject({
      sheet: 'Security',
      row_number: 5,
      answer: 'Yes',
      kind: 'QUESTION',
    });

    const analyzed = await h.request('POST', `${base()}/${id}/analyze`, ws.adminToken);
    expect(analyzed.status).toBe(200);
    expect(analyzed.body).toEqual({
      suggestions_count: 4,
      skipped_count: 7,
      domains: { access: 2, backup: 1, incident: 1 },
      skip_summary: { duplicates: 1, negatives: 1, blanks: 2, headers: 3 },
    });
    // re-analyzing replaces pending suggestions instead of duplicating them
    const again = await h.request('POST', `${base()}/${id}/analyze`, ws.adminToken);
    expect(again.body).toEqual(analyzed.body);

    const sugg = await h.request('GET', `/workspaces/${ws.id}/reminders/suggestions?limit=50`, ws.adminToken);
    const mine = sugg.body.data.filter(
      (s: { questionnaire_response_id: string }) => s.questionnaire_response_id === id,
    );
    expect(mine).toHaveLength(4);
    const ac1 = mine.find((s: { question_id: string }) => s.question_id === 'AC-1');
    expect(ac1).toMatchObject({
      suggested_title: 'Review user access quarterly',
      suggested_frequency: 'QUARTERLY',
      suggested_domain: 'access',
      status: 'PENDING',
    });
    const meta2 = await h.request('GET', `${base()}/${id}`, ws.adminToken);
    expect(meta2.body.status).toBe('ANALYZED');
    expect(meta2.body.analyzed_at).not.toBeNull();

    const accepted = await h.request(
      'POST',
      `/workspaces/${ws.id}/reminders/suggestions/${ac1.id}/accept`,
      ws.adminToken,
      {},
    );
    expect(accepted.status).toBe(200);
    const reminderId: string = accepted.body.reminder.id;
    expect(accepted.body.reminder).toMatchObject({ source_id: id, source_question_id: 'AC-1' });

    // an accepted question is not suggested again
    const third = await h.request('POST', `${base()}/${id}/analyze`, ws.adminToken);
    expect(third.body.suggestions_count).toBe(4);
    const after = await h.request(
      'GET',
      `/workspaces/${ws.id}/reminders/suggestions?limit=50`,
      ws.adminToken,
    );
    const mineAfter = after.body.data.filter(
      (s: { questionnaire_response_id: string }) => s.questionnaire_response_id === id,
    );
    expect(mineAfter).toHaveLength(4);
    expect(mineAfter.filter((s: { status: string }) => s.status === 'ACCEPTED')).toHaveLength(1);

    // auditor reads, cannot write; other workspace sees nothing
    const auditor = await ws.member('AUDITOR');
    expect((await h.request('GET', `${base()}/${id}/questions`, auditor.token)).status).toBe(200);
    expect((await h.request('POST', `${base()}/${id}/analyze`, auditor.token)).status).toBe(403);
    expect((await h.request('DELETE', `${base()}/${id}`, auditor.token)).status).toBe(403);
    expect((await upload(auditor.token, file, XLSX_MIME)).status).toBe(403);
    for (const path of [`${base(other)}/${id}`, `${base(other)}/${id}/questions`]) {
      expect((await h.request('GET', path, other.adminToken)).status).toBe(404);
    }
    expect((await h.request('POST', `${base(other)}/${id}/analyze`, other.adminToken)).status).toBe(404);
    expect((await h.request('DELETE', `${base(other)}/${id}`, other.adminToken)).status).toBe(404);
    expect((await h.request('GET', `${base()}/${id}`, other.adminToken)).status).toBe(404);
    expect((await h.request('GET', `${base()}/${newId()}`, ws.adminToken)).status).toBe(404);

    const manager = await ws.member('MANAGER');
    const del = await h.request('DELETE', `${base()}/${id}`, manager.token);
    expect(del.status).toBe(200);
    expect((await h.request('GET', `${base()}/${id}`, ws.adminToken)).status).toBe(404);
    expect((await h.request('GET', `${base()}/${id}/questions`, ws.adminToken)).status).toBe(404);
    const [kept] = await h.deps.db.select().from(reminders).where(eq(reminders.id, reminderId));
    expect(kept?.sourceId).toBe(id);
    const left = await h.request('GET', `/workspaces/${ws.id}/reminders/suggestions?limit=50`, ws.adminToken);
    const leftMine = left.body.data.filter(
      (s: { questionnaire_response_id: string }) => s.questionnaire_response_id === id,
    );
    expect(leftMine.map((s: { status: string }) => s.status)).toEqual(['ACCEPTED']);
    const [row] = await h.deps.db.select().from(questionnaires).where(eq(questionnaires.id, id));
    expect(row?.deletedAt).not.toBeNull();

    const actions = (
      await h.deps.db
        .select({ a: auditLogs.actionType })
        .from(auditLogs)
        .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.targetId, id)))
    ).map((r) => r.a);
    expect(actions).toEqual(
      expect.arrayContaining(['QUESTIONNAIRE_UPLOADED', 'QUESTIONNAIRE_ANALYZED', 'QUESTIONNAIRE_DELETED']),
    );
  });

  it('re-analysis keeps the ids a client holds and every accepted or rejected suggestion', async () => {
    const up = await upload(ws.adminToken, workbook(), XLSX_MIME, '?filename=stable.xlsx');
    expect(up.status).toBe(201);
    const id: string = up.body.id;
    const suggestions = async () =>
      (
        await h.request('GET', `/workspaces/${ws.id}/reminders/suggestions?limit=200`, ws.adminToken)
      ).body.data.filter(
        (s: { questionnaire_response_id: string }) => s.questionnaire_response_id === id,
      ) as Array<{
        id: string;
        question_id: string;
        status: string;
      }>;
    const byQuestion = (list: Array<{ id: string; question_id: string; status: string }>) =>
      Object.fromEntries(list.map((s) => [s.question_id, { id: s.id, status: s.status }]));

    expect((await h.request('POST', `${base()}/${id}/analyze`, ws.adminToken)).status).toBe(200);
    const first = byQuestion(await suggestions());
    expect(Object.keys(first).sort()).toEqual(['AC-1', 'AC-2', 'BK-1', 'IR-1']);
    const accept = (sid: string) =>
      h.request('POST', `/workspaces/${ws.id}/reminders/suggestions/${sid}/accept`, ws.adminToken, {});
    const reject = (sid: string) =>
      h.request('POST', `/workspaces/${ws.id}/reminders/suggestions/${sid}/reject`, ws.adminToken, {
        reason: 'covered elsewhere',
      });
    expect((await accept(first['AC-1']?.id ?? '')).status).toBe(200);
    expect((await reject(first['AC-2']?.id ?? '')).status).toBe(200);

    // analyze twice more: the same ids, the decisions kept, nothing added
    for (let i = 0; i < 2; i++)
      expect((await h.request('POST', `${base()}/${id}/analyze`, ws.adminToken)).status).toBe(200);
    const after = await suggestions();
    expect(after).toHaveLength(4);
    expect(byQuestion(after)).toEqual({
      'AC-1': { id: first['AC-1']?.id, status: 'ACCEPTED' },
      'AC-2': { id: first['AC-2']?.id, status: 'REJECTED' },
      'BK-1': { id: first['BK-1']?.id, status: 'PENDING' },
      'IR-1': { id: first['IR-1']?.id, status: 'PENDING' },
    });
    // the ids held from the first analysis still answer
    expect((await accept(first['BK-1']?.id ?? '')).status).toBe(200);
    expect((await reject(first['IR-1']?.id ?? '')).status).toBe(200);
  });

  it('accepts multipart/form-data with a `file` part', async () => {
    const file = workbook();
    const b = 'vigil-test-boundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${b}\r\nContent-Disposition: form-data; name="file"; filename="mp.xlsx"\r\nContent-Type: ${XLSX_MIME}\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    const res = await upload(ws.adminToken, body, `multipart/form-data; boundary=${b}`, '');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ file_name: 'mp.xlsx', question_count: 6, size_bytes: file.length });
    const noFile = Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--${b}--\r\n`,
    );
    const missing = await upload(ws.adminToken, noFile, `multipart/form-data; boundary=${b}`, '');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('file');
    const noBoundary = await upload(ws.adminToken, body, 'multipart/form-data', '');
    expect([noBoundary.status, noBoundary.body.errors[0].field]).toEqual([400, 'file']);
    // the file part is held in memory only up to UPLOAD_LIMIT_BYTES
    const limit = h.deps.config.UPLOAD_LIMIT_BYTES;
    const huge = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n`),
      Buffer.alloc(limit + 1, 0x41),
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    const big = await upload(ws.adminToken, huge, `multipart/form-data; boundary=${b}`, '');
    expect([big.status, big.headers.get('connection')]).toEqual([413, 'close']);
  });

  it('rejects non-spreadsheets, other media types and oversized uploads', async () => {
    const text = await upload(ws.adminToken, Buffer.from('id,question\n1,hello'), XLSX_MIME);
    expect(text.status).toBe(400);
    expect(JSON.stringify(text.body)).toContain('"file"');
    const csv = await upload(ws.adminToken, Buffer.from('id,question\n1,hello'), 'text/csv');
    expect(csv.status).toBe(415);
    expect(JSON.stringify(csv.body)).toContain('"file"');
    const badName = await upload(ws.adminToken, workbook(), XLSX_MIME, '?filename=q.pdf');
    expect(badName.status).toBe(400);
    expect(JSON.stringify(badName.body)).toContain('query.filename');
    const huge = Buffer.alloc(h.deps.config.UPLOAD_LIMIT_BYTES + 1, 0x41);
    const big = await upload(ws.adminToken, huge, XLSX_MIME);
    expect(big.status).toBe(413);
    // chunked, without Content-Length: the stream is counted and cut at the limit
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > h.deps.config.UPLOAD_LIMIT_BYTES) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const chunked = await fetch(`${h.baseUrl}${base()}/upload?filename=big.xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.adminToken}`, 'content-type': XLSX_MIME },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const listed = await h.request('GET', base(), ws.adminToken);
    const names = listed.body.data.map((q: { file_name: string }) => q.file_name);
    expect(names).not.toContain('big.xlsx');
  });

  it('accepts legacy .xls workbooks', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['Question', 'Answer'],
        ['Do you patch servers weekly?', 'Yes'],
      ]),
      'Q',
    );
    const xls = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
    const res = await upload(ws.adminToken, xls, 'application/vnd.ms-excel', '?filename=old.xls');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mime_type: 'application/vnd.ms-excel', question_count: 1 });
    const analyzed = await h.request('POST', `${base()}/${res.body.id}/analyze`, ws.adminToken);
    expect(analyzed.body).toMatchObject({ suggestions_count: 1, domains: { security: 1 } });
  });

  it('lists the suggestions of one questionnaire with questionnaire_id', async () => {
    const a = await upload(ws.adminToken, workbook(), XLSX_MIME, '?filename=filter-a.xlsx');
    const b = await upload(ws.adminToken, workbook(), XLSX_MIME, '?filename=filter-b.xlsx');
    for (const q of [a, b]) await h.request('POST', `${base()}/${q.body.id}/analyze`, ws.adminToken);
    const path = `/workspaces/${ws.id}/reminders/suggestions`;
    for (const q of [a, b]) {
      const page = await h.request('GET', `${path}?limit=50&questionnaire_id=${q.body.id}`, ws.adminToken);
      expect(page.status).toBe(200);
      expect(page.body.data).toHaveLength(4);
      expect(
        new Set(
          page.body.data.map((s: { questionnaire_response_id: string }) => s.questionnaire_response_id),
        ),
      ).toEqual(new Set([q.body.id]));
    }
    // another workspace's questionnaire yields nothing; a malformed id is a 400 naming the field
    const foreign = await h.request(
      'GET',
      `/workspaces/${other.id}/reminders/suggestions?questionnaire_id=${a.body.id}`,
      other.adminToken,
    );
    expect(foreign.status).toBe(200);
    expect(foreign.body.data).toEqual([]);
    const bad = await h.request('GET', `${path}?questionnaire_id=nope`, ws.adminToken);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('questionnaire_id');
  });
});
