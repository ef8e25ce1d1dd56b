import { ProblemError } from '../api/client';

/**
 * Client-side checks that mirror the API's rules (its zod schemas), so a form shows the same
 * message before the request; the API's own problem+json field errors are merged in after it.
 */

/** The API's field errors by field, without the `body.` prefix (`rules.1.after`). */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ProblemError)) return {};
  return Object.fromEntries(err.errors.map((e) => [e.field.replace(/^body\./, ''), e.message]));
}

const UNITS = { Y: 365 * 86_400_000, M: 30 * 86_400_000, W: 7 * 86_400_000, D: 86_400_000 } as const;
const TIME_UNITS = { H: 3_600_000, M: 60_000, S: 1000 } as const;
const DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO-8601 duration in milliseconds (nominal 30-day months, 365-day years), or NaN. */
export function durationMs(iso: string): number {
  const m = DURATION.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return Number.NaN;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  return Math.round(
    (y ?? 0) * UNITS.Y +
      (mo ?? 0) * UNITS.M +
      (w ?? 0) * UNITS.W +
      (d ?? 0) * UNITS.D +
      (h ?? 0) * TIME_UNITS.H +
      (mi ?? 0) * TIME_UNITS.M +
      (s ?? 0) * TIME_UNITS.S,
  );
}

const FIVE_YEARS = 5 * UNITS.Y;

/** Why a duration is not usable (1 second to 5 years; PT0S too when `atDeadline`), or null. */
export function durationProblem(iso: string, atDeadline = false): string | null {
  const ms = durationMs(iso);
  if (Number.isNaN(ms)) return 'ISO-8601 duration, e.g. PT24H, P3D or PT2S';
  if (ms === 0 && atDeadline) return null;
  if (ms >= 1000 && ms <= FIVE_YEARS) return null;
  return atDeadline
    ? 'Between 1 second and 5 years, or PT0S for at the deadline'
    : 'Between 1 second and 5 years';
}

export const isClock = (v: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v);
export const isEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
export const isTimeZone = (v: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return true;
  } catch {
    return false;
  }
};
/** A whole number in [min, max] (NumberInput gives numbers or strings). */
export const isIntIn = (v: number | string, min: number, max: number) =>
  v !== '' && Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max;

/** Required text of at most `max` characters, trimmed: the message, or null. */
export function textProblem(v: string, max: number, required = true): string | null {
  if (required && !v.trim()) return 'Required';
  if (v.trim().length > max) return `At most ${max} characters`;
  return null;
}
