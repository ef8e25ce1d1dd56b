/**
 * The one scale of every rate in the API: a percentage from 0 to 100 rounded to one decimal,
 * like the spec's progress_percentage (0-100). Pure; no I/O.
 */

/** Rounds to one decimal. */
export const round1 = (n: number): number => Math.round(n * 10) / 10;

/** `part` as a percentage of `whole` (clamped to 0..100, one decimal); null when there is nothing to measure. */
export function percent(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return round1((Math.min(Math.max(part, 0), whole) / whole) * 100);
}

/** What each rate's schema says about its scale. */
export const PERCENT_DESCRIPTION = 'Percent, 0–100, one decimal';
