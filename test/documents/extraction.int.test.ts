import { requeuePendingExtractions } from '@vigil/domains/documents/versions';
import { sql } from 'drizzle-orm';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { docx, pdf, png, xlsx } from './fixtures';
import { docsPath, uploadForm, uploadPresigned } from './helpers';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_BYTES = 200_000;

describe('documents: metadata extraction by the document/<version id> workflow (real worker)', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let alice: { id: string; token: string };

  beforeAll(async () => {
    // Needs only an S3 endpoint: the run's S3 server when the harness provides one, else the protocol fake.
    h = await startHarness({
      worker: true,
      env: {
        DOCUMENT_EXTRACTION_MAX_BYTES: String(MAX_BYTES),
        DOCUMENT_EXTRACTION_MAX_PAGES: '3',
        DOCUMENT_SUMMARY_API_URL: undefined,
        DOCUMENT_SUMMARY_API_KEY: undefined,
      },
    });
    ws = await h.workspace();
    alice = await ws.member('MEMBER');
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Polls GET of the document until its newest version's extraction is no longer PENDING (30 s deadline). */
  const extracted = (docId: string) =>
    eventually(
      async () => {
        const r = await h.request('GET', `${docsPath(ws)}/${docId}`, alice.token);
        const v = r.body.versions?.[0];
        return v && v.extraction_status !== 'PENDING' ? r.body : null;
      },
      30_000,
      200,
    );

  const downloads = async (doc: { download_url: string }, data: Buffer) => {
    const res = await fetch(doc.download_url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
  };

  it('a PDF, a DOCX, an XLSX and a PNG each get their metadata within 30 s, by either upload path', async () => {
    const started = Date.now();
    const files = {
      pdf: pdf(
        [
          ['Access Control Policy', 'Quarterly access reviews; multi-factor authentication for all staff.'],
          ['Backups are restored in the yearly disaster recovery test.', 'Mapped to CC6.1 and A1.2.'],
        ],
        { title: 'Access Control Policy' },
      ),
      docx: docx(
        [
          'Incident Response Plan',
          'Security incidents are triaged within one hour by the on-call engineer, and every incident gets a root cause analysis.',
        ],
        4,
      ),
      xlsx: xlsx({
        Changes: [
          ['Change', 'Reviewer', 'Approved'],
          ['Pull request 118: code review by two engineers', 'Lee', 'yes'],
          ['Pull request 119: change approval recorded', 'Kim', 'yes'],
        ],
        Vendors: [['Vendor'], ['Vendor risk assessment of the payment processor']],
      }),
      png: png(120, 80),
    };
    const [p, d, x, i] = await Promise.all([
      uploadPresigned(h, ws, alice.token, files.pdf, {
        fileName: 'access-control.pdf',
        type: 'application/pdf',
      }),
      uploadForm(h, ws, alice.token, { data: files.docx, filename: 'incident-response.docx', type: DOCX }),
      uploadPresigned(h, ws, alice.token, files.xlsx, { fileName: 'changes.xlsx', type: XLSX }),
      // declared as JPEG: the type is sniffed from the bytes
      uploadForm(h, ws, alice.token, { data: files.png, filename: 'diagram.jpg', type: 'image/jpeg' }),
    ]);
    for (const r of [p, d, x, i]) expect(r.status).toBe(201);
    // The upload answers at once: extraction is PENDING in the version it returns.
    expect(p.body.versions[0]).toMatchObject({
      extraction_status: 'PENDING',
      metadata: null,
      extraction_error: null,
    });

    const [pdfDoc, docxDoc, xlsxDoc, pngDoc] = await Promise.all(
      [p, d, x, i].map((r) => extracted(r.body.id)),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(30_000);
    const lag = [pdfDoc, docxDoc, xlsxDoc, pngDoc].map(
      (doc) =>
        new Date(doc.versions[0].extracted_at).getTime() - new Date(doc.versions[0].created_at).getTime(),
    );
    console.log(
      `four documents extracted ${elapsed} ms after their uploads started; registered to extracted: ${lag.join(', ')} ms`,
    );

    const pv = pdfDoc.versions[0];
    expect(pv).toMatchObject({ extraction_status: 'DONE', extraction_error: null });
    expect(pv.extracted_at).toEqual(expect.any(String));
    expect(pv.metadata).toMatchObject({
      content_type: 'application/pdf',
      format: 'PDF',
      page_count: 2,
      pages_read: 2,
      title: 'Access Control Policy',
      language: 'eng',
      summary_source: 'HEURISTIC',
      text_truncated: false,
      domains: ['SECURITY', 'AVAILABILITY'],
    });
    expect(pv.metadata.extract).toContain('Access Control Policy');
    expect(pv.metadata.extract).toContain('disaster recovery test');
    expect(pv.metadata.word_count).toBeGreaterThan(20);
    expect(pv.metadata.criteria.map((c: { id: string }) => c.id)).toEqual(['CC6', 'A1']);
    expect(pv.metadata.criteria[0].matches).toEqual(expect.arrayContaining(['access review', 'CC6.1']));

    const dv = docxDoc.versions[0];
    expect(dv.extraction_status).toBe('DONE');
    expect(dv.metadata).toMatchObject({ content_type: DOCX, format: 'DOCX', page_count: 4, language: 'eng' });
    expect(dv.metadata.extract).toMatch(/^Incident Response Plan Security incidents are triaged/);
    expect(dv.metadata.criteria.map((c: { id: string }) => c.id)).toEqual(['CC7']);

    const xv = xlsxDoc.versions[0];
    expect(xv.extraction_status).toBe('DONE');
    expect(xv.metadata).toMatchObject({
      content_type: XLSX,
      format: 'SPREADSHEET',
      sheet_count: 2,
      row_count: 5,
      sheets: [
        { name: 'Changes', rows: 3, columns: 3 },
        { name: 'Vendors', rows: 2, columns: 1 },
      ],
    });
    expect(xv.metadata.extract).toContain('code review by two engineers');
    // "vendor risk assessment" is a risk assessment (CC3) and vendor risk (CC9)
    expect(xv.metadata.criteria.map((c: { id: string }) => c.id)).toEqual(['CC3', 'CC8', 'CC9']);

    const iv = pngDoc.versions[0];
    expect(iv.extraction_status).toBe('DONE');
    expect(iv.metadata).toMatchObject({
      content_type: 'image/png',
      declared_type: 'image/jpeg',
      type_matches: false,
      format: 'IMAGE',
      image: { width: 120, height: 80, type: 'png' },
      word_count: 0,
      criteria: [],
    });

    // The system audited each result, attributed to no member; the chain still verifies.
    const trail = await h.request(
      'GET',
      `/compliance/audit-logs?target_id=${p.body.id}&action_type=DOCUMENT_METADATA_EXTRACTED`,
      ws.adminToken,
    );
    expect(trail.body.data).toHaveLength(1);
    expect(trail.body.data[0]).toMatchObject({
      actor_id: null,
      target_type: 'document',
      new_value: { version_id: pv.id, extraction_status: 'DONE', page_count: 2, criteria: ['CC6', 'A1'] },
    });
    const verify = await h.request('GET', '/compliance/audit-logs/verify', ws.adminToken);
    expect(verify.body).toMatchObject({ ok: true });

    // The workflow has the business key of the version, and nothing is left in the outbox.
    const wf = h.deps.temporal.client.workflow.getHandle(`document/${pv.id}`);
    expect(await wf.result()).toBe('DONE');
    const left = await h.deps.db.execute(sql`SELECT count(*)::int AS n FROM workflow_commands`);
    expect(left.rows[0]).toMatchObject({ n: 0 });
    await downloads(pdfDoc, files.pdf);
  });

  it('a corrupt PDF gets FAILED with the reason; the document stays readable and downloadable', async () => {
    const bad = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R\nthis is not a PDF body\n');
    const up = await uploadForm(h, ws, alice.token, {
      data: bad,
      filename: 'broken.pdf',
      type: 'application/pdf',
    });
    expect(up.status).toBe(201);
    const doc = await extracted(up.body.id);
    const v = doc.versions[0];
    expect(v.extraction_status).toBe('FAILED');
    expect(v.extraction_error).toMatch(/^The PDF could not be read: /);
    expect(v.metadata).toMatchObject({
      content_type: 'application/pdf',
      format: 'PDF',
      size_bytes: bad.length,
    });
    expect(doc.status).toBe('ACTIVE');
    await downloads(doc, bad);

    const trail = await h.request(
      'GET',
      `/compliance/audit-logs?target_id=${up.body.id}&action_type=DOCUMENT_EXTRACTION_FAILED`,
      ws.adminToken,
    );
    expect(trail.body.data[0].new_value).toMatchObject({
      extraction_status: 'FAILED',
      extraction_error: v.extraction_error,
    });

    // The document still changes and takes a new version, which is extracted on its own.
    const good = pdf([['Change management procedure: every change request is approved.']]);
    const v2 = await uploadPresigned(h, ws, alice.token, good, { register: { document_id: up.body.id } });
    expect(v2.status).toBe(201);
    const after = await eventually(async () => {
      const r = await h.request('GET', `${docsPath(ws)}/${up.body.id}`, alice.token);
      return r.body.versions.length === 2 && r.body.versions[0].extraction_status !== 'PENDING'
        ? r.body
        : null;
    }, 30_000);
    expect(after.versions.map((x: { extraction_status: string }) => x.extraction_status)).toEqual([
      'DONE',
      'FAILED',
    ]);
    expect(after.versions[0].metadata.criteria.map((c: { id: string }) => c.id)).toEqual(['CC8']);

    // Extraction of version 1 can be asked for again: PENDING at once, then extracted anew.
    const auditor = await ws.member('AUDITOR');
    const again = `${docsPath(ws)}/${up.body.id}/versions/1/extract`;
    expect((await h.request('POST', again, auditor.token)).status).toBe(403);
    expect(
      (await h.request('POST', `${docsPath(ws)}/${up.body.id}/versions/9/extract`, alice.token)).status,
    ).toBe(404);
    const other = await h.workspace();
    expect(
      (
        await h.request(
          'POST',
          `/workspaces/${other.id}/compliance/documents/${up.body.id}/versions/1/extract`,
          other.adminToken,
        )
      ).status,
    ).toBe(404);
    const rerun = await h.request('POST', again, alice.token);
    expect(rerun.status).toBe(202);
    expect(rerun.body.versions[1]).toMatchObject({
      version: 1,
      extraction_status: 'PENDING',
      metadata: null,
    });
    const redone = await eventually(async () => {
      const r = await h.request('GET', `${docsPath(ws)}/${up.body.id}`, alice.token);
      return r.body.versions[1].extraction_status !== 'PENDING' ? r.body.versions[1] : null;
    }, 30_000);
    expect(redone).toMatchObject({ extraction_status: 'FAILED', extraction_error: v.extraction_error });
    const failures = await h.request(
      'GET',
      `/compliance/audit-logs?target_id=${up.body.id}&action_type=DOCUMENT_EXTRACTION_FAILED`,
      ws.adminToken,
    );
    expect(failures.body.data).toHaveLength(2);
  });

  it('limits: a file over DOCUMENT_EXTRACTION_MAX_BYTES is FAILED (type still sniffed); pages past the limit are not read', async () => {
    const big = Buffer.concat([pdf([['Large scan']]), Buffer.alloc(MAX_BYTES, 0x20)]);
    const up = await uploadPresigned(h, ws, alice.token, big, { fileName: 'scan.pdf' });
    expect(up.status).toBe(201);
    const doc = await extracted(up.body.id);
    expect(doc.versions[0]).toMatchObject({ extraction_status: 'FAILED' });
    expect(doc.versions[0].extraction_error).toContain('DOCUMENT_EXTRACTION_MAX_BYTES');
    expect(doc.versions[0].metadata).toMatchObject({
      content_type: 'application/pdf',
      size_bytes: big.length,
    });
    await downloads(doc, big);

    const pages = [1, 2, 3, 4, 5].map((n) => [
      `Page ${n}: ${n === 5 ? 'business continuity plan' : 'minutes'}`,
    ]);
    const long = await uploadForm(h, ws, alice.token, {
      data: pdf(pages),
      filename: 'long.pdf',
      type: 'application/pdf',
    });
    const ld = await extracted(long.body.id);
    expect(ld.versions[0].metadata).toMatchObject({
      page_count: 5,
      pages_read: 3,
      text_truncated: true,
      criteria: [],
    });
  });

  it('safety net: a version left PENDING for an hour is queued again and extracted', async () => {
    const up = await uploadForm(h, ws, alice.token, {
      data: png(7, 5),
      filename: 'tiny.png',
      type: 'image/png',
    });
    const first = await extracted(up.body.id);
    expect(await requeuePendingExtractions(h.deps.db)).toEqual({ queued: 0 });
    // as if its workflow had been lost: PENDING, stored two hours ago, no command waiting
    await h.deps.db.execute(sql`
      UPDATE document_versions SET extraction_status = 'PENDING', metadata = NULL,
             created_at = now() - interval '2 hours'
       WHERE id = ${first.versions[0].id}`);
    expect(await requeuePendingExtractions(h.deps.db)).toEqual({ queued: 1 });
    h.relays?.commands.kick();
    const again = await extracted(up.body.id);
    expect(again.versions[0]).toMatchObject({
      extraction_status: 'DONE',
      metadata: { image: { width: 7, height: 5 } },
    });
  });

  it('the OpenAPI document describes the extraction fields of a version', async () => {
    const api = await h.request('GET', '/openapi.json', null);
    const text = JSON.stringify(api.body);
    for (const f of ['extraction_status', 'extraction_error', 'extracted_at', 'page_count', 'criteria'])
      expect(text).toContain(f);
  });
});
