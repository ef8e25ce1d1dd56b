import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultTemplates, parseTemplate, TemplateFormatError } from './templates';

const REQUIRED = [
  'information-security',
  'acceptable-use',
  'access-control',
  'incident-response',
  'business-continuity',
  'change-management',
  'data-classification',
  'vendor-management',
  'risk-assessment',
  'encryption',
  'secure-development',
  'code-of-conduct',
];

const VALID = [
  '---',
  'key: sample-policy',
  'name: Sample Policy',
  'version: 1',
  'review_frequency_months: 12',
  'suggested_roles: Engineering, HR',
  'soc2_criteria: CC6.1, A1.2',
  '---',
  '',
  '# Sample Policy',
  '',
  'Body text.',
  '',
].join('\n');

describe('loadDefaultTemplates (shipped set)', () => {
  const templates = loadDefaultTemplates();

  it('loads at least the twelve required templates, sorted by unique key', () => {
    expect(templates.length).toBeGreaterThanOrEqual(12);
    const keys = templates.map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort());
    for (const k of REQUIRED) expect(keys).toContain(k);
  });

  it.each(REQUIRED)('%s has non-empty content and config', (key) => {
    const t = templates.find((x) => x.key === key);
    expect(t).toBeDefined();
    if (!t) return;
    expect(t.name.length).toBeGreaterThan(0);
    expect(t.version).toBe(1);
    expect(t.config.review_frequency_months).toBeGreaterThan(0);
    expect(t.config.suggested_roles.length).toBeGreaterThan(0);
    expect(t.config.soc2_criteria.length).toBeGreaterThan(0);
    expect(t.content.startsWith('# ')).toBe(true);
    expect(t.content.endsWith('\n')).toBe(true);
    expect(t.content).not.toContain('\r');
    const lines = t.content.split('\n').length;
    expect(lines).toBeGreaterThanOrEqual(60);
    expect(lines).toBeLessThanOrEqual(150);
  });

  it('every template covers the standard sections', () => {
    for (const t of templates) {
      for (const section of [
        'Purpose',
        'Scope',
        'Roles and Responsibilities',
        'Exceptions',
        'Enforcement',
        'Review',
      ]) {
        expect({ key: t.key, has: new RegExp(`^## \\d+\\. ${section}`, 'm').test(t.content) }).toEqual({
          key: t.key,
          has: true,
        });
      }
      expect(t.content).not.toMatch(/^---$/m);
    }
  });

  it('uses org role names and well-formed criteria', () => {
    const roles = new Set(['Engineering', 'HR', 'Sales', 'Finance', 'Operations', 'Everyone']);
    for (const t of templates) {
      for (const r of t.config.suggested_roles) expect(roles.has(r)).toBe(true);
      for (const c of t.config.soc2_criteria) expect(c).toMatch(/^(CC|A|C|PI|P)\d+\.\d+$/);
    }
  });
});

describe('parseTemplate', () => {
  it('parses front matter and body', () => {
    expect(parseTemplate('sample-policy.md', VALID)).toEqual({
      key: 'sample-policy',
      name: 'Sample Policy',
      version: 1,
      content: '# Sample Policy\n\nBody text.\n',
      config: {
        review_frequency_months: 12,
        suggested_roles: ['Engineering', 'HR'],
        soc2_criteria: ['CC6.1', 'A1.2'],
      },
    });
  });

  it('accepts CRLF files and a byte-order mark', () => {
    const t = parseTemplate('sample-policy.md', `\uFEFF${VALID.replace(/\n/g, '\r\n')}`);
    expect(t.content).toBe('# Sample Policy\n\nBody text.\n');
    expect(t.name).toBe('Sample Policy');
  });

  const broken: Array<[string, string, RegExp]> = [
    ['no front matter', '# Title\n', /must start with/],
    ['unclosed front matter', VALID.replace(/---\n\n/, ''), /not closed/],
    ['missing key', VALID.replace('name: Sample Policy\n', ''), /missing "name"/],
    [
      'unknown key',
      VALID.replace('version: 1', 'version: 1\nowner: CTO'),
      /unknown front matter key "owner"/,
    ],
    ['duplicate key', VALID.replace('version: 1', 'version: 1\nversion: 2'), /appears twice/],
    ['malformed line', VALID.replace('version: 1', 'version 1'), /not "key: value"/],
    ['bad version', VALID.replace('version: 1', 'version: one'), /version must be a positive integer/],
    ['zero frequency', VALID.replace('months: 12', 'months: 0'), /review_frequency_months/],
    ['empty roles', VALID.replace('Engineering, HR', ' , '), /suggested_roles/],
    ['bad criterion', VALID.replace('A1.2', 'XYZ'), /"XYZ" is not a SOC 2 criterion/],
    [
      'key not matching file',
      VALID.replace('key: sample-policy', 'key: other'),
      /does not match the file name/,
    ],
    ['bad slug', VALID.replace('key: sample-policy', 'key: Sample Policy'), /not a lower-case slug/],
    ['empty body', VALID.replace(/---\n\n[\s\S]*$/, '---\n\n  \n'), /body is empty/],
  ];

  it.each(broken)('rejects %s with an error naming the file', (_label, text, message) => {
    let caught: unknown;
    try {
      parseTemplate('sample-policy.md', text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TemplateFormatError);
    expect((caught as Error).message).toContain('sample-policy.md');
    expect((caught as Error).message).toMatch(message);
  });
});

describe('loadDefaultTemplates (custom directory)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-templates-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads only .md files, sorted by key', () => {
    writeFileSync(join(dir, 'sample-policy.md'), VALID);
    writeFileSync(join(dir, 'another.md'), VALID.replace(/sample-policy/g, 'another'));
    writeFileSync(join(dir, 'notes.txt'), 'not a template');
    expect(loadDefaultTemplates(dir).map((t) => t.key)).toEqual(['another', 'sample-policy']);
  });

  it('names the offending file on bad front matter', () => {
    writeFileSync(join(dir, 'sample-policy.md'), VALID);
    writeFileSync(
      join(dir, 'broken.md'),
      VALID.replace('key: sample-policy', 'key: broken').replace('version: 1', 'version:'),
    );
    expect(() => loadDefaultTemplates(dir)).toThrow(/broken\.md.*"version"/);
  });
});
