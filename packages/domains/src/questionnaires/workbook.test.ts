import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { countRowTags, readWorkbook, type WorkbookLimits, zipFootprint } from './workbook';

const limits: WorkbookLimits = { maxUnzippedBytes: 10_000_000, maxSheets: 3, maxRows: 100, maxCellChars: 50 };

function book(sheets: Record<string, unknown[][]>, bookType: 'xlsx' | 'biff8' = 'xlsx'): Buffer {
  const wb = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), name);
  }
  return XLSX.write(wb, { type: 'buffer', bookType, compression: true }) as Buffer;
}

const questions = (n: number) => [
  ['ID', 'Question', 'Answer'],
  ...Array.from({ length: n - 1 }, (_, i) => [`Q-${i + 1}`, `Do you rotate key ${i + 1} yearly?`, 'Yes']),
];

describe('zipFootprint', () => {
  it('sums the sizes the central directory declares without inflating', () => {
    const zip = zipSync({ 'a.xml': new Uint8Array(3_000_000).fill(0x41), 'b.xml': strToU8('hello') });
    expect(zip.length).toBeLessThan(20_000);
    expect(zipFootprint(zip)).toEqual({ entries: 2, unzippedBytes: 3_000_005, sheetParts: [] });
    const file = book({ A: questions(2), B: questions(2) });
    expect(zipFootprint(file).sheetParts).toEqual(['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']);
  });
});

describe('countRowTags', () => {
  const count = (xml: string, stopAfter = 100) => countRowTags(Buffer.from(xml), stopAfter);

  it('counts row start tags with or without a prefix, and nothing else', () => {
    expect(count('<sheetData><row r="1"><c><v>1</v></c></row><row>x</row><row/></sheetData>')).toBe(3);
    expect(count('<x:sheetData><x:row r="1"></x:row><x:row\n r="2"/></x:sheetData>')).toBe(2);
    expect(count('<rowBreaks count="1"><brk id="3"/></rowBreaks><t>arrow&gt; row &lt;row </t>')).toBe(0);
    expect(count('row <row>')).toBe(1);
  });

  it('stops once past the limit', () => {
    expect(count('<row/>'.repeat(1000), 10)).toBe(11);
  });
});

describe('readWorkbook', () => {
  it('reads every sheet into classified rows and hashes the bytes', () => {
    for (const bookType of ['xlsx', 'biff8'] as const) {
      const file = book({ One: questions(4), Two: questions(3) }, bookType);
      const out = readWorkbook(file, limits);
      if (!out.ok) throw new Error(out.message);
      expect(out.rows.map((r) => [r.sheet, r.rowNumber, r.kind])).toEqual([
        ['One', 1, 'HEADER'],
        ['One', 2, 'QUESTION'],
        ['One', 3, 'QUESTION'],
        ['One', 4, 'QUESTION'],
        ['Two', 1, 'HEADER'],
        ['Two', 2, 'QUESTION'],
        ['Two', 3, 'QUESTION'],
      ]);
      expect(out.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    }
  });

  it('refuses an .xlsx whose entries would unzip past the limit, before reading it', () => {
    const file = book({ Q: [['Question'], ['x'.repeat(40)]] });
    expect(readWorkbook(file, { ...limits, maxUnzippedBytes: 1000 })).toMatchObject({
      ok: false,
      limit: 'QUESTIONNAIRE_MAX_UNZIPPED_BYTES',
      message: expect.stringMatching(/would unzip to \d+ bytes; at most 1000/),
    });
  });

  it('counts rows over all sheets, for .xlsx and legacy .xls alike', () => {
    for (const bookType of ['xlsx', 'biff8'] as const) {
      expect(readWorkbook(book({ Q: questions(100) }, bookType), limits).ok).toBe(true);
      expect(readWorkbook(book({ Q: questions(101) }, bookType), limits)).toMatchObject({
        ok: false,
        limit: 'QUESTIONNAIRE_MAX_ROWS',
      });
      expect(readWorkbook(book({ A: questions(60), B: questions(41) }, bookType), limits)).toMatchObject({
        ok: false,
        limit: 'QUESTIONNAIRE_MAX_ROWS',
        message: expect.stringContaining('more than 100 rows'),
      });
      // blank rows inside a sheet's range count: 2 rows with cells, 101 in the range
      const sparse = XLSX.utils.aoa_to_sheet([['Question']]);
      XLSX.utils.sheet_add_aoa(sparse, [['Do you?']], { origin: 'A101' });
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, sparse, 'Sparse');
      const file = XLSX.write(wb, { type: 'buffer', bookType, compression: true }) as Buffer;
      expect(readWorkbook(file, limits)).toMatchObject({
        ok: false,
        limit: 'QUESTIONNAIRE_MAX_ROWS',
        message: 'The workbook has more than 100 rows (sheet "Sparse" passes the limit)',
      });
      // far past the limit: SheetJS stops at limit + 1 rows
      expect(readWorkbook(book({ Q: questions(5000) }, bookType), limits)).toMatchObject({
        limit: 'QUESTIONNAIRE_MAX_ROWS',
      });
    }
  });

  it('refuses too many sheets and too long a cell, naming the cell', () => {
    for (const bookType of ['xlsx', 'biff8'] as const) {
      const four = { A: questions(2), B: questions(2), C: questions(2), D: questions(2) };
      expect(readWorkbook(book(four, bookType), limits)).toMatchObject({
        ok: false,
        limit: 'QUESTIONNAIRE_MAX_SHEETS',
        message: 'The workbook has 4 sheets; at most 3 are accepted',
      });
      const long = book(
        {
          Q: [
            ['Question', 'Answer'],
            ['Do you?', 'y'.repeat(51)],
          ],
        },
        bookType,
      );
      expect(readWorkbook(long, limits)).toMatchObject({
        ok: false,
        limit: 'QUESTIONNAIRE_MAX_CELL_CHARS',
        message: 'Cell Q!B2 has 51 characters; at most 50 are accepted',
      });
    }
  });

  it('says bytes that are not a readable spreadsheet are unreadable, not a limit', () => {
    expect(readWorkbook(strToU8('id,question\n1,hello'), limits)).toMatchObject({ ok: false, limit: null });
    const truncated = book({ Q: questions(3) }).subarray(0, 200);
    expect(readWorkbook(truncated, limits)).toMatchObject({ ok: false, limit: null });
  });
});
