import fc from 'fast-check';
import {
  analyzeRows,
  classifyDomain,
  confidenceScore,
  detectColumns,
  isNegativeAnswer,
  normaliseText,
  parseSheet,
  sniffSpreadsheet,
  suggestedCategory,
  suggestedFrequency,
  suggestedTitle,
  TITLE_MAX,
} from './rules';

const grid = [
  ['Security questionnaire 2026'],
  ['ID', 'Question', 'Answer', 'Notes'],
  ['Access Control'],
  ['AC-1', 'Do you review user access quarterly?', 'Yes', ''],
  ['AC-2', 'Is MFA enforced for all administrator accounts?', 'Yes', ''],
  ['AC-3', 'do you review user access QUARTERLY', 'Yes', 'dup by text'],
  ['BK-1', 'Are backups tested annually?', 'No', ''],
  ['BK-2', '', 'Yes', 'no question text'],
  [],
  ['VN-1', 'Do you assess third-party vendors?', 'N/A', ''],
  ['HR-1', 'Do employees complete security awareness training every year?', 'Yes', ''],
];

describe('parseSheet', () => {
  const rows = parseSheet('Sheet1', grid);

  it('finds the column header row and maps id, question and answer columns', () => {
    const header = rows.find((r) => r.rowNumber === 2);
    expect(header?.kind).toBe('HEADER');
    const q = rows.find((r) => r.rowNumber === 4);
    expect(q).toMatchObject({ questionId: 'AC-1', answer: 'Yes', kind: 'QUESTION', isHeader: false });
  });

  it('classifies titles above the header and section headings as headers, and id-only rows as blanks', () => {
    expect(rows.find((r) => r.rowNumber === 1)?.kind).toBe('HEADER');
    expect(rows.find((r) => r.rowNumber === 3)).toMatchObject({ kind: 'HEADER', text: 'Access Control' });
    expect(rows.find((r) => r.rowNumber === 8)).toMatchObject({ kind: 'BLANK', questionId: 'BK-2' });
  });

  it('counts a completely empty row inside the sheet as BLANK and keeps 1-based row numbers', () => {
    expect(rows.find((r) => r.rowNumber === 9)).toMatchObject({ kind: 'BLANK', text: '', questionId: null });
    expect(rows.find((r) => r.rowNumber === 10)?.questionId).toBe('VN-1');
  });

  it('leaves out the empty rows after the last filled one', () => {
    const out = parseSheet('S', [['Question'], [], ['Do you patch servers monthly?'], [], ['', ''], []]);
    expect(out.map((r) => [r.rowNumber, r.kind])).toEqual([
      [1, 'HEADER'],
      [2, 'BLANK'],
      [3, 'QUESTION'],
    ]);
    expect(parseSheet('E', [[], ['']])).toEqual([]);
  });

  it('without a header row uses the widest column for questions', () => {
    const out = parseSheet('S', [
      ['1', 'Do you encrypt laptops with full disk encryption?'],
      ['2', 'Do you patch servers monthly?'],
    ]);
    expect(out.map((r) => r.text)).toEqual([
      'Do you encrypt laptops with full disk encryption?',
      'Do you patch servers monthly?',
    ]);
    expect(out.every((r) => r.kind === 'QUESTION')).toBe(true);
  });

  it('reads a 150,000-row sheet without a header row (no spread of one argument per row)', () => {
    const grid = Array.from({ length: 150_000 }, (_, i) => [`Do you check item ${i}?`]);
    const out = parseSheet('S', grid);
    expect(out).toHaveLength(150_000);
    expect(out[149_999]).toMatchObject({ rowNumber: 150_000, kind: 'QUESTION' });
  });
});

describe('analyzeRows', () => {
  it('drops headers, blanks, duplicates and negatives and clusters the rest by domain', () => {
    const out = analyzeRows(parseSheet('Sheet1', grid));
    expect(out.skipSummary).toEqual({ duplicates: 1, negatives: 2, blanks: 2, headers: 3 });
    expect(out.skippedCount).toBe(8);
    expect(out.suggestions.map((s) => s.questionId)).toEqual(['AC-1', 'AC-2', 'HR-1']);
    expect(out.domains).toEqual({ access: 2, hr: 1 });
    const first = out.suggestions[0];
    expect(first).toMatchObject({
      title: 'Review user access quarterly',
      frequency: 'QUARTERLY',
      category: 'REVIEW',
    });
    expect(out.suggestions[2]).toMatchObject({ category: 'TRAINING', frequency: 'YEARLY' });
  });

  it('treats a repeated id as a duplicate and gives id-less rows a sheet!row id', () => {
    const out = analyzeRows([
      ...parseSheet('A', [
        ['Question'],
        ['Do you log access to production systems?'],
        ['Do you run vulnerability scans weekly?'],
      ]),
    ]);
    expect(out.suggestions.map((s) => s.questionId)).toEqual(['A!2', 'A!3']);
    const dup = analyzeRows(
      parseSheet('B', [
        ['ID', 'Question'],
        ['Q1', 'Do you log access?'],
        ['Q1', 'Do you rotate keys?'],
      ]),
    );
    expect(dup.skipSummary.duplicates).toBe(1);
  });

  it('property: every row up to the last filled one is either suggested or counted once as skipped', () => {
    const cell = fc.oneof(
      fc.constant(''),
      fc.constant('No'),
      fc.constant('Yes'),
      fc.constant('N/A'),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('Do you review access quarterly?', 'Is data encrypted at rest?', 'Backups'),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 30 }), (g) => {
        const rows = parseSheet('S', g);
        const filled = g.map((r) => r.some((c) => c.replace(/\s+/g, ' ').trim() !== ''));
        expect(rows.map((r) => r.rowNumber)).toEqual(
          Array.from({ length: filled.lastIndexOf(true) + 1 }, (_, i) => i + 1),
        );
        const out = analyzeRows(rows);
        expect(out.suggestions.length + out.skippedCount).toBe(rows.length);
        const ids = out.suggestions.map((s) => s.questionId);
        expect(new Set(ids).size).toBe(ids.length);
        const total = Object.values(out.domains).reduce((a, b) => a + b, 0);
        expect(total).toBe(out.suggestions.length);
        for (const s of out.suggestions) {
          expect(s.confidence).toBeGreaterThanOrEqual(0);
          expect(s.confidence).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});

describe('text rules', () => {
  it('normalises case, punctuation and spacing', () => {
    expect(normaliseText('  Do you   REVIEW access?! ')).toBe('do you review access');
    fc.assert(
      fc.property(fc.string(), (s) => expect(normaliseText(normaliseText(s))).toBe(normaliseText(s))),
    );
  });

  it('recognises negative answers only', () => {
    for (const a of ['No', 'no.', 'N/A', 'n / a', 'NA', 'Not applicable', 'None', 'No, not yet'])
      expect({ a, neg: isNegativeAnswer(a) }).toEqual({ a, neg: true });
    for (const a of ['Yes', 'Not sure yet? yes', 'Nobody objected', 'Annually', '', null])
      expect({ a, neg: isNegativeAnswer(a) }).toEqual({ a, neg: false });
  });

  it('classifies domains by keyword, preferring an explicit domain column', () => {
    expect(classifyDomain('Is MFA enabled?', null)).toBe('access');
    expect(classifyDomain('Do you test restore from backup?', null)).toBe('backup');
    expect(classifyDomain('Do you have an incident response plan?', null)).toBe('incident');
    expect(classifyDomain('Are subprocessors listed?', null)).toBe('vendor');
    expect(classifyDomain('Is personal data minimised under GDPR?', null)).toBe('privacy');
    expect(classifyDomain('Are firewall rules reviewed?', null)).toBe('network');
    expect(classifyDomain('Are visitors escorted?', null)).toBe('physical');
    expect(classifyDomain('Are invoices approved?', null)).toBe('finance');
    expect(classifyDomain('Are deployments approved?', null)).toBe('change');
    expect(classifyDomain('Is data encrypted at rest?', null)).toBe('security');
    expect(classifyDomain('Do you like coffee?', null)).toBe('general');
    expect(classifyDomain('Is MFA enabled?', '  Identity & Access ')).toBe('identity access');
  });

  it('suggests categories', () => {
    expect(suggestedCategory('Is MFA enabled?', 'access')).toBe('SECURITY');
    expect(suggestedCategory('Do you test backups?', 'backup')).toBe('OPERATIONAL');
    expect(suggestedCategory('Are access rights reviewed?', 'access')).toBe('REVIEW');
    expect(suggestedCategory('Is there an external audit?', 'general')).toBe('AUDIT');
    expect(suggestedCategory('Do staff get awareness training?', 'hr')).toBe('TRAINING');
    expect(suggestedCategory('Is personal data minimised?', 'privacy')).toBe('COMPLIANCE');
  });

  it('suggests frequencies from words, defaulting to YEARLY', () => {
    const f = (t: string) => suggestedFrequency(t).frequency;
    expect(f('reviewed annually')).toBe('YEARLY');
    expect(f('Yearly pen test')).toBe('YEARLY');
    expect(f('quarterly review')).toBe('QUARTERLY');
    expect(f('Monthly patching')).toBe('MONTHLY');
    expect(f('weekly scans')).toBe('WEEKLY');
    expect(f('daily backups')).toBe('DAILY');
    expect(f('semi-annual drills')).toBe('SEMI_ANNUAL');
    expect(suggestedFrequency('Is MFA on?')).toEqual({ frequency: 'YEARLY', explicit: false });
  });

  it('makes short imperative titles', () => {
    expect(suggestedTitle('Do you review user access quarterly?')).toBe('Review user access quarterly');
    expect(suggestedTitle('Does your organization encrypt backups?')).toBe('Encrypt backups');
    expect(suggestedTitle('Is MFA enforced?')).toBe('Verify MFA enforced');
    expect(suggestedTitle('Is there an incident response plan?')).toBe('Verify incident response plan');
    expect(suggestedTitle('Describe your key rotation.')).toBe('Document your key rotation');
    expect(suggestedTitle('?')).toBe('Review questionnaire item');
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const t = suggestedTitle(s);
        expect(t.length).toBeGreaterThan(0);
        expect(t.length).toBeLessThanOrEqual(TITLE_MAX);
      }),
    );
  });

  it('keeps confidence within 0..1 and raises it with evidence', () => {
    const none = confidenceScore({
      keywordMatched: false,
      frequencyExplicit: false,
      hasId: false,
      affirmative: false,
    });
    const all = confidenceScore({
      keywordMatched: true,
      frequencyExplicit: true,
      hasId: true,
      affirmative: true,
    });
    expect(none).toBeGreaterThan(0);
    expect(all).toBe(1);
    expect(all).toBeGreaterThan(none);
  });
});

describe('column and upload detection', () => {
  it('detects header rows by their column names', () => {
    expect(detectColumns(['#', 'Question', 'Response', 'Domain'])).toEqual({
      id: 0,
      question: 1,
      answer: 2,
      domain: 3,
    });
    expect(detectColumns(['AC-1', 'Do you review the question of access?', 'Yes'])).toBeNull();
  });

  it('sniffs xlsx and xls magic bytes', () => {
    expect(sniffSpreadsheet(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1]))).toBe('xlsx');
    expect(sniffSpreadsheet(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('xls');
    expect(sniffSpreadsheet(Buffer.from('hello, world'))).toBeNull();
    expect(sniffSpreadsheet(Buffer.alloc(0))).toBeNull();
  });
});
