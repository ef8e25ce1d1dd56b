/**
 * What the API accepts as a reminder's cron expression: the standard five fields
 * (minute hour day-of-month month day-of-week) with `*`, lists, ranges, steps and
 * month or weekday names. cron-parser is more lenient (it fills in missing fields, so
 * `* * *` parses, and takes a sixth seconds field, `L`, `W`, `#`, `?` and `@daily`);
 * the engine still runs such expressions, but a request cannot configure them.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 7, names: WEEKDAYS },
];

const ITEM = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/([0-9]+))?$/;

/** A number or (month, weekday) name within the field's range, else null. */
function fieldValue(token: string, field: CronField): number | null {
  if (/^[0-9]+$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : null;
  }
  const i = field.names?.indexOf(token.toUpperCase()) ?? -1;
  if (i < 0) return null;
  return field.names === MONTHS ? i + 1 : i;
}

function itemProblem(item: string, field: CronField): string | null {
  const m = ITEM.exec(item);
  if (!m) return `"${item}" is not a value, range or step`;
  const [, range = '', step] = m;
  const bounds = `${field.min}-${field.max}`;
  if (step !== undefined && (Number(step) < 1 || Number(step) > field.max))
    return `step "${step}" must be between 1 and ${field.max}`;
  if (range === '*') return null;
  const [from = '', to] = range.split('-');
  const a = fieldValue(from, field);
  if (a === null) return `"${from}" is not in ${bounds}${field.names ? ' or a name' : ''}`;
  if (to === undefined) return null;
  const b = fieldValue(to, field);
  if (b === null) return `"${to}" is not in ${bounds}${field.names ? ' or a name' : ''}`;
  return a <= b ? null : `range "${range}" runs backwards`;
}

/** Why `expression` is not a standard five-field cron expression, or null when it is one. */
export function standardCronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== FIELDS.length)
    return `Expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i] as CronField;
    for (const item of part.split(',')) {
      const problem = itemProblem(item, field);
      if (problem) return `Invalid ${field.name} field "${part}": ${problem}`;
    }
  }
  return null;
}
