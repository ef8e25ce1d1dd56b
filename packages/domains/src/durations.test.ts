import { durationProblem, MAX_DURATION_MS, MIN_DURATION_MS } from './durations';
import { durationToMs } from './obligations/rules';

describe('durationProblem: 1 second to 5 years, zero only for at the deadline', () => {
  it('accepts the bounds and everything between', () => {
    for (const iso of ['PT1S', 'PT24H', 'P3D', 'P1W', 'P1M', 'P1Y', 'P5Y', 'P4Y11M', 'PT1.5S'])
      expect([iso, durationProblem(iso)]).toEqual([iso, null]);
    expect(durationToMs('PT1S')).toBe(MIN_DURATION_MS);
    expect(durationToMs('P5Y')).toBe(MAX_DURATION_MS);
  });

  it('refuses zero, sub-second and beyond five years', () => {
    for (const iso of ['PT0S', 'P0D', 'PT0.5S', 'P5YT1S', 'P6Y', 'P99999Y', 'P61M'])
      expect([iso, durationProblem(iso)]).toEqual([iso, 'Between 1 second and 5 years']);
  });

  it('allows zero where it means at the deadline, and nothing else outside the bounds', () => {
    expect(durationProblem('PT0S', { atDeadline: true })).toBeNull();
    expect(durationProblem('P0D', { atDeadline: true })).toBeNull();
    expect(durationProblem('PT0.5S', { atDeadline: true })).toMatch(/PT0S for at the deadline/);
    expect(durationProblem('P99999Y', { atDeadline: true })).toMatch(/5 years/);
  });

  it('names the expected format for anything that is not an ISO-8601 duration', () => {
    for (const iso of ['', 'P', 'PT', '3 days', '-P1D', 'p1d', 'P1DT'])
      expect(durationProblem(iso)).toMatch(/ISO-8601/);
  });
});
