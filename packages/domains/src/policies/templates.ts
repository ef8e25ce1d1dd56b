/**
 * Default SOC 2 policy templates shipped with Vigil. Each template is a markdown file in
 * ./templates with a small front matter block of `key: value` lines between `---` lines:
 *
 *   key, name, version, review_frequency_months, suggested_roles, soc2_criteria
 *
 * (lists are comma-separated). The body after the closing `---` is the policy text.
 * Files are read when loadDefaultTemplates is called, never at import time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface TemplateDefinition {
  key: string;
  name: string;
  version: number;
  content: string;
  config: { review_frequency_months: number; suggested_roles: string[]; soc2_criteria: string[] };
}

export const DEFAULT_TEMPLATES_DIR = join(__dirname, 'templates');

const REQUIRED_KEYS = [
  'key',
  'name',
  'version',
  'review_frequency_months',
  'suggested_roles',
  'soc2_criteria',
];
const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Trust services criteria ids such as CC6.1, A1.2, C1.1, PI1.3, P4.2. */
const CRITERION_RE = /^(?:CC|A|C|PI|P)\d+\.\d+$/;
const FIELD_RE = /^([a-z0-9_]+):\s*(.*)$/;

export class TemplateFormatError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`Invalid policy template ${file}: ${detail}`);
    this.name = 'TemplateFormatError';
  }
}

function positiveInt(file: string, field: string, raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new TemplateFormatError(file, `${field} must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}

function list(file: string, field: string, raw: string): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new TemplateFormatError(file, `${field} must list at least one value`);
  if (new Set(items).size !== items.length) throw new TemplateFormatError(file, `${field} repeats a value`);
  return items;
}

/**
 * Parses one template file's text. `file` names the file in errors; when it ends in `.md`
 * its base name must equal the template key. Line endings are normalised to `\n`.
 */
export function parseTemplate(file: string, text: string): TemplateDefinition {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines[0]?.trim() !== '---')
    throw new TemplateFormatError(file, 'must start with a "---" front matter line');
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (close < 0) throw new TemplateFormatError(file, 'front matter is not closed by a "---" line');

  const fields = new Map<string, string>();
  for (const [i, line] of lines.slice(1, close).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = FIELD_RE.exec(line.trim());
    if (!m) throw new TemplateFormatError(file, `front matter line ${i + 2} is not "key: value": "${line}"`);
    const [, name = '', value = ''] = m;
    if (!REQUIRED_KEYS.includes(name))
      throw new TemplateFormatError(file, `unknown front matter key "${name}"`);
    if (fields.has(name)) throw new TemplateFormatError(file, `front matter key "${name}" appears twice`);
    fields.set(name, value.trim());
  }
  const field = (name: string): string => {
    const v = fields.get(name);
    if (v === undefined || v === '') throw new TemplateFormatError(file, `front matter is missing "${name}"`);
    return v;
  };

  const key = field('key');
  if (!SLUG_RE.test(key)) throw new TemplateFormatError(file, `key "${key}" is not a lower-case slug`);
  if (file.endsWith('.md') && basename(file, '.md') !== key) {
    throw new TemplateFormatError(file, `key "${key}" does not match the file name`);
  }
  const criteria = list(file, 'soc2_criteria', field('soc2_criteria'));
  const badCriterion = criteria.find((c) => !CRITERION_RE.test(c));
  if (badCriterion) throw new TemplateFormatError(file, `"${badCriterion}" is not a SOC 2 criterion id`);

  const body = lines
    .slice(close + 1)
    .join('\n')
    .replace(/^\n+/, '')
    .replace(/\s+$/, '');
  if (body === '') throw new TemplateFormatError(file, 'policy body is empty');

  return {
    key,
    name: field('name'),
    version: positiveInt(file, 'version', field('version')),
    content: `${body}\n`,
    config: {
      review_frequency_months: positiveInt(file, 'review_frequency_months', field('review_frequency_months')),
      suggested_roles: list(file, 'suggested_roles', field('suggested_roles')),
      soc2_criteria: criteria,
    },
  };
}

/**
 * Reads every `*.md` file in `dir` (default: the shipped templates) and returns the
 * parsed templates sorted by key. Throws TemplateFormatError naming the offending file on
 * bad front matter, an empty body or a key used by two files.
 */
export function loadDefaultTemplates(dir: string = DEFAULT_TEMPLATES_DIR): TemplateDefinition[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  const byKey = new Map<string, string>();
  const templates: TemplateDefinition[] = [];
  for (const f of files) {
    const template = parseTemplate(f, readFileSync(join(dir, f), 'utf8'));
    const other = byKey.get(template.key);
    if (other) throw new TemplateFormatError(f, `key "${template.key}" is also used by ${other}`);
    byKey.set(template.key, f);
    templates.push(template);
  }
  return templates.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
