/**
 * Bounds on the ISO-8601 durations a request may configure. Every duration the engine
 * plans with (escalation ladder steps, reminder offsets and intervals, lead times,
 * expiring-soon windows, acknowledgement deadlines) lies between 1 second and 5 years.
 * Zero is allowed only where it means "at the deadline": an offset before a due date.
 */
import { durationToMs } from './obligations/rules';

export const MIN_DURATION_MS = 1000;
/** P5Y, in the engine's nominal 365-day years. */
export const MAX_DURATION_MS = durationToMs('P5Y');

const FORMAT = 'ISO-8601 duration, e.g. PT24H, P3D or PT2S';

/**
 * Why `iso` is not a usable duration, or null when it is. `atDeadline`: zero (PT0S) is
 * allowed and means "at the deadline".
 */
export function durationProblem(iso: string, opts: { atDeadline?: boolean } = {}): string | null {
  let ms: number;
  try {
    ms = durationToMs(iso);
  } catch {
    return FORMAT;
  }
  if (ms === 0 && opts.atDeadline) return null;
  if (ms >= MIN_DURATION_MS && ms <= MAX_DURATION_MS) return null;
  return opts.atDeadline
    ? 'Between 1 second and 5 years, or PT0S for at the deadline'
    : 'Between 1 second and 5 years';
}
