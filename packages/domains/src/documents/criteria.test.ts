import fc from 'fast-check';
import { CRITERIA, CRITERION_IDS, TRUST_SERVICES_CATEGORIES } from './criteria';
import {
  categoriesOf,
  cleanText,
  detectCriteria,
  leadSentences,
  looksLikeCsv,
  shortExtract,
  wordCount,
} from './rules';

const ids = (text: string) => detectCriteria(text).map((c) => c.id);

describe('detectCriteria: SOC 2 criteria a text mentions', () => {
  it('finds criteria from their phrases, case-insensitively, across punctuation and line breaks', () => {
    const text =
      'Access Control Policy. Quarterly access reviews enforce least-privilege; MULTI-FACTOR\n' +
      'authentication is required. Backups are tested in the Disaster Recovery plan.';
    const found = detectCriteria(text);
    expect(found.map((c) => c.id)).toEqual(['CC6', 'A1']);
    const cc6 = found[0];
    expect(cc6).toMatchObject({ name: 'Logical and Physical Access Controls', category: 'SECURITY' });
    expect(cc6?.matches).toEqual(
      expect.arrayContaining([
        'access control',
        'access review',
        'least privilege',
        'multi factor authentication',
      ]),
    );
    expect(categoriesOf(found)).toEqual(['SECURITY', 'AVAILABILITY']);
  });

  it('counts plurals of the last word, and every occurrence as a hit', () => {
    const [c] = detectCriteria('Two penetration tests and one penetration test per year.');
    expect(c).toMatchObject({ id: 'CC7', score: 2, hits: 2, matches: ['penetration test'] });
  });

  it('needs two weak phrases, or one strong phrase, or an explicit reference', () => {
    expect(ids('Please enter your password.')).toEqual([]);
    expect(ids('Your password and MFA device.')).toEqual(['CC6']);
    expect(ids('The incident response runbook.')).toEqual(['CC7']);
    expect(ids('Mapped to CC8.1 and PI1.3; see also CC2.')).toEqual(['CC2', 'CC8', 'PI1']);
  });

  it('takes A1, C1 and P1-P8 only with a point number, and no references inside other words', () => {
    expect(ids('Cell A1 holds the total; P1 incidents page the on-call.')).toEqual([]);
    expect(ids('A1.2 backups; C1.1 classification; P4.2 retention')).toEqual(['A1', 'C1', 'P4']);
    expect(ids('CC10 ACC6.1 XA1.2')).toEqual([]);
  });

  it('matches whole words only', () => {
    expect(ids('accessibility passwordless ricks risking')).toEqual([]);
    expect(ids('a riskregister of changemanagement')).toEqual([]);
  });

  it('every criterion of the table can be detected from its first phrase', () => {
    for (const c of CRITERIA) expect(ids(`... ${c.phrases[0]} ...`)).toContain(c.id);
    expect(CRITERION_IDS).toEqual([
      'CC1',
      'CC2',
      'CC3',
      'CC4',
      'CC5',
      'CC6',
      'CC7',
      'CC8',
      'CC9',
      'A1',
      'C1',
      'PI1',
      'P1',
      'P2',
      'P3',
      'P4',
      'P5',
      'P6',
      'P7',
      'P8',
    ]);
  });

  const vocabulary = fc.constantFrom(
    ...CRITERIA.flatMap((c) => [...c.phrases, ...(c.weak ?? [])]),
    'CC6.1',
    'A1.2',
    'P3.1',
    'the',
    'of',
    'and',
    'Acme',
    'quarterly',
    ',',
    '.',
    '\n',
    '-',
  );
  const doc = fc.array(vocabulary, { maxLength: 60 }).map((w) => w.join(' '));
  const ascii = fc.oneof(
    doc,
    fc.string({ maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e\n]/g, ' ')),
  );

  it('property: ids are known, unique and in criteria order; domains are those of the criteria', () => {
    fc.assert(
      fc.property(ascii, (text) => {
        const found = detectCriteria(text);
        const got = found.map((c) => c.id);
        expect(got).toEqual(CRITERION_IDS.filter((id) => got.includes(id)));
        for (const c of found) {
          expect(c.score).toBeGreaterThanOrEqual(2);
          expect(c.hits).toBeGreaterThanOrEqual(1);
          expect(c.matches.length).toBeGreaterThan(0);
        }
        const cats = categoriesOf(found);
        expect(new Set(cats).size).toBe(cats.length);
        for (const cat of cats) expect(TRUST_SERVICES_CATEGORIES).toContain(cat);
      }),
    );
  });

  it('property: adding text never removes a criterion (monotone), and case does not matter', () => {
    fc.assert(
      fc.property(ascii, ascii, (a, b) => {
        const before = ids(a);
        const after = ids(`${a} ${b}`);
        for (const id of before) expect(after).toContain(id);
        expect(ids(a.toUpperCase())).toEqual(before);
        expect(ids(a.toLowerCase())).toEqual(before);
      }),
    );
  });
});

describe('text rules of extraction', () => {
  it('wordCount counts runs of non-space holding a letter or digit', () => {
    expect(wordCount('')).toBe(0);
    expect(wordCount('  Access  review — Q3 2026 \n done. ')).toBe(5);
    expect(wordCount('Zugriffsprüfung für 2026')).toBe(3);
  });

  it('property: wordCount is additive over a space', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(wordCount(`${a} ${b}`)).toBe(wordCount(a) + wordCount(b));
      }),
    );
  });

  it('shortExtract flattens white space and cuts at a word boundary with an ellipsis', () => {
    expect(shortExtract('  a\n\n b\tc ')).toBe('a b c');
    expect(shortExtract('alpha beta gamma delta', 15)).toBe('alpha beta…');
    expect(shortExtract('x'.repeat(30), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('property: shortExtract is at most max code points, never splits a surrogate pair, and is a prefix', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: 2, max: 200 }),
        (s, max) => {
          const out = shortExtract(s, max);
          expect(Array.from(out).length).toBeLessThanOrEqual(max);
          expect(() => encodeURIComponent(out)).not.toThrow();
          const flat = s.replace(/\s+/g, ' ').trim();
          expect(flat.startsWith(out.endsWith('…') && out !== flat ? out.slice(0, -1) : out)).toBe(true);
        },
      ),
    );
  });

  it('leadSentences keeps whole leading sentences within the limit', () => {
    expect(leadSentences('One. Two is here! Three?', 18)).toBe('One. Two is here!');
    expect(leadSentences('A single very long sentence without a stop', 12)).toBe('A single…');
  });

  it('cleanText removes what Postgres jsonb refuses: NUL, control characters, lone surrogates', () => {
    expect(cleanText('a\u0000b\u0007c\td\ne')).toBe('a b c\td\ne');
    expect(cleanText('x\ud800y\udc00z😀')).toBe('x\ufffdy\ufffdz😀');
  });

  it('property: cleanText output has no NUL and no lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = cleanText(s);
        expect(out.includes('\u0000')).toBe(false);
        expect(() => encodeURIComponent(out)).not.toThrow();
      }),
    );
  });

  it('looksLikeCsv finds a consistent delimiter outside quotes', () => {
    expect(looksLikeCsv('control,owner,status\nCC6.1,"Smith, J",done\nCC7.2,Lee,open\n')).toBe(',');
    expect(looksLikeCsv('a;b\n1;2\n')).toBe(';');
    expect(looksLikeCsv('a\tb\tc\n1\t2\t3')).toBe('\t');
    expect(looksLikeCsv('Just a sentence, with a comma.\nAnother line without.')).toBeNull();
    expect(looksLikeCsv('one,line')).toBeNull();
  });
});
