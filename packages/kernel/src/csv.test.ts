import { Writable } from 'node:stream';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { columnsOf, rowsOfResult, sendCsv, withFormat } from './csv';

/** A Response that collects what is written (enough of Express's for sendCsv). */
function collector() {
  const chunks: Buffer[] = [];
  const headers: Record<string, string> = {};
  const res = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  }) as unknown as Response & { text(): string; headers: Record<string, string> };
  Object.assign(res, {
    status: () => res,
    set: (k: string, v: string) => {
      headers[k] = v;
      return res;
    },
    headers,
    text: () => Buffer.concat(chunks).toString('utf8'),
  });
  return res;
}

describe('CSV exports', () => {
  it('header row = the JSON field names; nested values as JSON, null empty, quoting as RFC 4180', async () => {
    const res = collector();
    const rows = [
      { id: 'a', n: 1, ok: true, at: new Date('2026-01-02T03:04:05Z'), nested: { x: [1, 'y'] }, none: null },
      { id: 'b, "c"', n: 0, ok: false, at: null, nested: [], none: undefined },
    ];
    await sendCsv({} as Request, res, ['id', 'n', 'ok', 'at', 'nested', 'none'], rows, 'x.csv');
    expect(res.text()).toBe(
      [
        'id,n,ok,at,nested,none',
        'a,1,true,2026-01-02T03:04:05.000Z,"{""x"":[1,""y""]}",',
        '"b, ""c""",0,false,,[],',
        '',
      ].join('\n'),
    );
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('an error before the first row is thrown (a problem+json answer), nothing written', async () => {
    const res = collector();
    async function* failing(): AsyncGenerator<Record<string, unknown>> {
      yield* [];
      throw new Error('boom');
    }
    await expect(sendCsv({} as Request, res, ['a'], failing(), 'x.csv')).rejects.toThrow('boom');
    expect(res.text()).toBe('');
  });

  it('rows of an answer: its data array, else the answer as one row; columns from a schema', () => {
    expect(rowsOfResult({ count: 1, data: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(rowsOfResult({ a: 1 })).toEqual([{ a: 1 }]);
    expect(columnsOf(z.object({ b: z.string(), a: z.number() }))).toEqual(['b', 'a']);
    const q = withFormat(z.object({ limit: z.coerce.number().optional() }));
    expect(q.safeParse({ format: 'csv', limit: '2' }).data).toEqual({ format: 'csv', limit: 2 });
    expect(q.safeParse({ format: 'xml' }).success).toBe(false);
  });
});
