import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { pdf, png } from './fixtures';
import { docsPath, uploadForm } from './helpers';

const MAX_INPUT = 400;

describe('documents: the optional LLM summariser (OpenAI-compatible /chat/completions recorder)', () => {
  let llm: FakeOpenAI;
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    // the run's S3 server when the harness provides one, else the protocol fake
    llm = await startFakeOpenAI();
    h = await startHarness({
      worker: true,
      env: {
        DOCUMENT_SUMMARY_API_URL: llm.url,
        DOCUMENT_SUMMARY_API_KEY: llm.apiKey,
        DOCUMENT_SUMMARY_MODEL: 'vigil-test-model',
        DOCUMENT_SUMMARY_TIMEOUT_MS: '1000',
        DOCUMENT_SUMMARY_MAX_INPUT_CHARS: String(MAX_INPUT),
      },
    });
    ws = await h.workspace();
  });
  afterAll(async () => {
    await h?.close();
    await llm?.close();
  });

  const upload = async (data: Buffer, filename: string, type = 'application/pdf') => {
    const up = await uploadForm(h, ws, ws.adminToken, { data, filename, type });
    expect(up.status).toBe(201);
    return eventually(
      async () => {
        const r = await h.request('GET', `${docsPath(ws)}/${up.body.id}`, ws.adminToken);
        const v = r.body.versions?.[0];
        return v && v.extraction_status !== 'PENDING' ? v : null;
      },
      30_000,
      200,
    );
  };

  const policy = pdf([
    [
      'Business Continuity and Disaster Recovery Policy.',
      'Backups run nightly and a restore test is performed every quarter.',
      ...Array.from({ length: 30 }, (_, i) => `Section ${i + 1}: the recovery time objective is four hours.`),
    ],
  ]);

  it('asks for a short summary with bounded input and stores it as the LLM summary', async () => {
    llm.reply = (req) =>
      `Summary by ${req.model}: the BC/DR policy sets nightly backups and quarterly restore tests.`;
    const v = await upload(policy, 'bcdr.pdf');
    expect(v.extraction_status).toBe('DONE');
    expect(v.metadata).toMatchObject({
      summary:
        'Summary by vigil-test-model: the BC/DR policy sets nightly backups and quarterly restore tests.',
      summary_source: 'LLM',
      summary_model: 'vigil-test-model',
      summary_error: null,
      domains: ['AVAILABILITY'],
    });
    const call = llm.calls.at(-1);
    expect(call).toMatchObject({ path: '/v1/chat/completions', status: 200 });
    expect(call?.headers.authorization).toBe(`Bearer ${llm.apiKey}`);
    expect(call?.body).toMatchObject({ model: 'vigil-test-model', max_tokens: expect.any(Number) });
    expect(call?.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const user = call?.body.messages[1]?.content ?? '';
    expect(user).toContain('bcdr.pdf');
    expect(user).toContain('Business Continuity and Disaster Recovery Policy.');
    // the text sent is at most DOCUMENT_SUMMARY_MAX_INPUT_CHARS (plus the file name line)
    expect(user.length).toBeLessThanOrEqual(MAX_INPUT + 'Document: bcdr.pdf\n\n'.length);
  });

  it('a summariser error or timeout leaves the heuristic summary and says why; extraction is still DONE', async () => {
    llm.failNext(1, 500);
    const failed = await upload(policy, 'bcdr-500.pdf');
    expect(failed.extraction_status).toBe('DONE');
    expect(failed.metadata).toMatchObject({
      summary_source: 'HEURISTIC',
      summary_error: 'The summariser answered 500',
    });
    expect(failed.metadata.summary).toMatch(/^Business Continuity and Disaster Recovery Policy\./);

    llm.delayNext(1, 3000);
    const slow = await upload(policy, 'bcdr-slow.pdf');
    expect(slow.extraction_status).toBe('DONE');
    expect(slow.metadata).toMatchObject({
      summary_source: 'HEURISTIC',
      summary_error: 'The summariser did not answer within 1000 ms',
    });
  });

  it('a file without text is not sent to the summariser', async () => {
    const before = llm.calls.length;
    const v = await upload(png(10, 10), 'pixel.png', 'image/png');
    expect(v.metadata).toMatchObject({ format: 'IMAGE', summary: null, summary_source: null });
    expect(llm.calls.length).toBe(before);
  });
});
