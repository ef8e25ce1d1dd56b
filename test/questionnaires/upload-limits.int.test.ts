// Uploads that cannot hurt the service: spreadsheets are parsed in a worker thread within
// size, sheet, row, cell and time limits, so a zip bomb or a huge sheet is refused quickly
// while the API keeps answering other requests.
import { Agent, get as httpGet } from 'node:http';
import { strToU8 } from 'fflate';
import * as XLSX from 'xlsx';
import { eventually, type Harness, type HttpResult, startHarness, type TestWorkspace } from '../harness';
import { buildInWorker, declaredUnzippedBytes, xlsxPackage, zipBomb } from './xlsx-fixtures';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XLS_MIME = 'application/vnd.ms-excel';
function book(sheets: Record<string, unknown[][]>, bookType: 'xlsx' | 'biff8' = 'xlsx'): Buffer {
  const wb = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), name);
  }
  return XLSX.write(wb, { type: 'buffer', bookType, compression: true }) as Buffer;
}

/** GET through `agent`, resolving with the status once the body has been read. */
function get(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
  });
}

/**
 * GET /healthz on a fixed ~20 ms schedule. A probe's latency runs from the moment it was
 * due, so time the event loop spent blocked before it could even send counts too. The
 * probes have their own keep-alive agent, so no socket left idle by an earlier test is reused.
 */
function probeHealthz(baseUrl: string, everyMs = 20) {
  const agent = new Agent({ keepAlive: true });
  const latencies: number[] = [];
  const failures: string[] = [];
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now();
  let k = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const due = t0 + k * everyMs;
    while (t0 + k * everyMs <= performance.now()) k++;
    const p = get(`${baseUrl}/healthz`, agent)
      .then((status) => {
        if (status !== 200) failures.push(`status ${status}`);
        latencies.push(performance.now() - due);
      })
      .catch((err: unknown) => {
        failures.push(String(err));
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    timer = setTimeout(tick, Math.max(0, t0 + k * everyMs - performance.now()));
  };
  tick();
  return {
    count: () => latencies.length,
    async stop() {
      clearTimeout(timer);
      await Promise.all(inflight);
      agent.destroy();
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return {
        count: sorted.length,
        failures,
        p50: at(0.5),
        p99: at(0.99),
        max: sorted[sorted.length - 1] ?? 0,
      };
    },
  };
}

describe('questionnaire uploads within limits', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let bomb: Buffer;
  let million: Buffer;

  beforeAll(async () => {
    [bomb, million] = await Promise.all([
      buildInWorker('zipBomb', 300 * 1024 * 1024),
      buildInWorker('numberedRows', 1_000_000),
    ]);
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h?.close());

  async function upload(
    file: Buffer,
    opts: { mime?: string; name?: string; harness?: Harness; w?: TestWorkspace } = {},
  ): Promise<HttpResult & { ms: number }> {
    const hh = opts.harness ?? h;
    const w = opts.w ?? ws;
    const started = performance.now();
    const res = await fetch(
      `${hh.baseUrl}/workspaces/${w.id}/questionnaires/upload?filename=${opts.name ?? 'q.xlsx'}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${w.adminToken}`, 'content-type': opts.mime ?? XLSX_MIME },
        body: new Uint8Array(file),
      },
    );
    const text = await res.text();
    const ms = performance.now() - started;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body, ms };
  }

  /** One upload of `file` while /healthz is probed, with as many idle probes taken just before. */
  async function uploadWhileProbing(file: Buffer) {
    const idleProbe = probeHealthz(h.baseUrl);
    await eventually(async () => idleProbe.count() >= 40, 10000, 10);
    const idle = await idleProbe.stop();
    const probe = probeHealthz(h.baseUrl);
    await eventually(async () => probe.count() >= 5, 5000, 10);
    const res = await upload(file);
    // keep probing a little after the answer: a parse left running would show here
    const after = probe.count();
    await eventually(async () => probe.count() >= after + 10, 5000, 10);
    return { res, idle, health: await probe.stop() };
  }

  /**
   * Uploads `file` while probing /healthz; the refusal and every probe must be quick: no probe
   * slower than 100 ms beyond the slowest of as many probes taken just before, idle (so the
   * bound holds the parse to account, not a machine another process is loading). A parse that
   * blocks the API does so every time; a single slow probe from another process's load does
   * not repeat, so an upload whose slowest probe is over the bound is tried once more.
   */
  async function refusedWhileHealthy(label: string, file: Buffer, status: number, code: string) {
    let run = await uploadWhileProbing(file);
    for (let attempt = 1; ; attempt++) {
      const { res, idle, health } = run;
      console.log(
        `${label} (attempt ${attempt}): ${(file.length / 1024).toFixed(0)} KiB upload refused with ${res.status} ` +
          `${res.body?.code} in ${res.ms.toFixed(0)} ms; /healthz during it: ${health.count} probes, ` +
          `p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, max ${health.max.toFixed(1)} ms ` +
          `(idle before: max ${idle.max.toFixed(1)} ms)`,
      );
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, code, errors: [{ field: 'file' }] });
      expect(res.body.detail).toContain(code);
      expect(res.ms).toBeLessThan(5000);
      expect(health.failures).toEqual([]);
      expect(health.count).toBeGreaterThanOrEqual(15);
      expect(health.p50).toBeLessThan(50);
      if (attempt === 2 || health.max < idle.max + 100) {
        expect(health.max).toBeLessThan(idle.max + 100);
        return;
      }
      run = await uploadWhileProbing(file);
    }
  }

  it('refuses a zip bomb (~300 KB inflating to ~300 MB) from its zip directory while /healthz stays fast', async () => {
    // the generator makes a valid workbook: a small one reads back
    const small = XLSX.read(
      xlsxPackage((push) => push(strToU8('<row r="1"><c r="A1" t="inlineStr"><is><t>Hi</t></is></c></row>'))),
    );
    expect(small.Sheets.Q?.A1?.v).toBe('Hi');
    const inflated = declaredUnzippedBytes(bomb);
    console.log(`zip bomb: ${bomb.length} bytes, inflating to ${inflated} bytes`);
    expect(bomb.length).toBeLessThan(500 * 1024);
    expect(inflated).toBeGreaterThan(300 * 1024 * 1024);
    await refusedWhileHealthy('zip bomb', bomb, 413, 'QUESTIONNAIRE_MAX_UNZIPPED_BYTES');
  });

  it('refuses a sheet of 1,000,000 rows while /healthz stays fast', async () => {
    console.log(
      `1,000,000 rows: ${million.length} bytes, inflating to ${declaredUnzippedBytes(million)} bytes`,
    );
    expect(million.length).toBeLessThan(h.deps.config.UPLOAD_LIMIT_BYTES);
    await refusedWhileHealthy('1,000,000 rows', million, 422, 'QUESTIONNAIRE_MAX_ROWS');
  });

  it('stores a normal upload and pages its questions in sheet and row order', async () => {
    const sheet = (n: number) => [
      ['ID', 'Question', 'Answer'],
      ...Array.from({ length: n }, (_, i) => [`Q-${i + 1}`, `Do you rotate key ${i + 1} yearly?`, 'Yes']),
    ];
    // sheets are listed in name order: Alpha before Beta
    const file = book({ Beta: sheet(40), Alpha: sheet(79) });
    const up = await upload(file, { name: 'paged.xlsx' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ question_count: 119, size_bytes: file.length });
    const base = `/workspaces/${ws.id}/questionnaires/${up.body.id}/questions`;

    const seen: Array<[string, number]> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await h.request(
        'GET',
        `${base}?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
        ws.adminToken,
      );
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['data', 'next_cursor']);
      expect(res.body.data.length).toBeLessThanOrEqual(50);
      for (const r of res.body.data) seen.push([r.sheet, r.row_number]);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const expected: Array<[string, number]> = [
      ...Array.from({ length: 80 }, (_, i): [string, number] => ['Alpha', i + 1]),
      ...Array.from({ length: 41 }, (_, i): [string, number] => ['Beta', i + 1]),
    ];
    expect(seen).toEqual(expected);

    const first = await h.request('GET', base, ws.adminToken);
    expect(first.body.data).toHaveLength(50);
    const bad = await h.request('GET', `${base}?cursor=${ws.id}`, ws.adminToken);
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'query.cursor']);
    const tooMany = await h.request('GET', `${base}?limit=501`, ws.adminToken);
    expect([tooMany.status, tooMany.body.errors?.[0]?.field]).toEqual([400, 'query.limit']);
  });

  it('names each limit it refuses, for .xlsx and legacy .xls, and stores nothing', async () => {
    const tight = await startHarness({
      env: {
        QUESTIONNAIRE_MAX_SHEETS: '2',
        QUESTIONNAIRE_MAX_ROWS: '100',
        QUESTIONNAIRE_MAX_CELL_CHARS: '200',
        QUESTIONNAIRE_MAX_UNZIPPED_BYTES: '200000',
      },
    });
    try {
      const w = await tight.workspace();
      const q = (n: number) => Array.from({ length: n }, (_, i) => [`Do you check item ${i + 1}?`]);
      for (const [bookType, mime, name] of [
        ['xlsx', XLSX_MIME, 'q.xlsx'],
        ['biff8', XLS_MIME, 'q.xls'],
      ] as const) {
        const send = (file: Buffer) => upload(file, { mime, name, harness: tight, w });
        const cases: Array<[Buffer, number, string]> = [
          [book({ A: q(2), B: q(2), C: q(2) }, bookType), 422, 'QUESTIONNAIRE_MAX_SHEETS'],
          [book({ A: q(60), B: q(41) }, bookType), 422, 'QUESTIONNAIRE_MAX_ROWS'],
          [book({ A: [['Question'], ['x'.repeat(201)]] }, bookType), 422, 'QUESTIONNAIRE_MAX_CELL_CHARS'],
        ];
        for (const [file, status, code] of cases) {
          const res = await send(file);
          expect([bookType, res.status, res.body.code]).toEqual([bookType, status, code]);
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(res.body.errors).toEqual([{ field: 'file', message: expect.stringContaining(code) }]);
        }
        expect((await send(book({ A: q(60), B: q(40) }, bookType))).status).toBe(201);
      }
      const unzipped = await upload(zipBomb(300_000), { harness: tight, w });
      expect([unzipped.status, unzipped.body.code]).toEqual([413, 'QUESTIONNAIRE_MAX_UNZIPPED_BYTES']);
      const big = await upload(Buffer.alloc(tight.deps.config.UPLOAD_LIMIT_BYTES + 1), { harness: tight, w });
      expect([big.status, big.body.code]).toEqual([413, 'UPLOAD_LIMIT_BYTES']);
      const listed = await tight.request('GET', `/workspaces/${w.id}/questionnaires`, w.adminToken);
      expect(listed.body.data).toHaveLength(2);
    } finally {
      await tight.close();
    }
  });

  it('stops a parse that takes too long or needs too much memory', async () => {
    const slow = await startHarness({ env: { QUESTIONNAIRE_PARSE_TIMEOUT_MS: '1' } });
    const hungry = await startHarness({
      env: { QUESTIONNAIRE_MAX_ROWS: '2000000', QUESTIONNAIRE_PARSE_MEMORY_MB: '64' },
    });
    try {
      const w1 = await slow.workspace();
      const timedOut = await upload(book({ A: [['Question'], ['Do you?']] }), { harness: slow, w: w1 });
      expect([timedOut.status, timedOut.body.code]).toEqual([422, 'QUESTIONNAIRE_PARSE_TIMEOUT_MS']);
      const w2 = await hungry.workspace();
      // with the row limit out of the way, SheetJS needs far more than 64 MB for a million rows
      const oom = await upload(million, { harness: hungry, w: w2 });
      expect([oom.status, oom.body.code]).toEqual([422, 'QUESTIONNAIRE_PARSE_MEMORY_MB']);
      // the process is fine and the next parse works
      const ok = await upload(book({ A: [['Question'], ['Do you?']] }), { harness: hungry, w: w2 });
      expect(ok.status).toBe(201);
    } finally {
      await slow.close();
      await hungry.close();
    }
  });
});
