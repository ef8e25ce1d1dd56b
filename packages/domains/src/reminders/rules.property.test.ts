import { formatInTimeZone } from 'date-fns-tz';
import fc from 'fast-check';
import { FREQUENCIES, type Frequency, nextOccurrences, occurrencesBetween, type ScheduleSpec } from './rules';
import { iso } from './rules.fixtures';

describe('properties', () => {
  const ZONES = [
    'UTC',
    'America/New_York',
    'Europe/Paris',
    'Australia/Sydney',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
  ];
  const NON_CUSTOM = FREQUENCIES.filter((f) => f !== 'CUSTOM');
  const instant = (min: string, max: string) =>
    fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });
  const scheduleArb = fc.record({
    frequency: fc.constantFrom(...NON_CUSTOM),
    timezone: fc.constantFrom(...ZONES),
    startDate: instant('2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z'),
    endAfterDays: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: null }),
  });
  type Row = { frequency: Frequency; timezone: string; startDate: Date; endAfterDays: number | null };
  const toSpec = (r: Row): ScheduleSpec => ({
    frequency: r.frequency,
    timezone: r.timezone,
    startDate: r.startDate,
    endDate: r.endAfterDays === null ? null : new Date(r.startDate.getTime() + r.endAfterDays * 86_400_000),
  });
  const after = instant('2019-06-01T00:00:00Z', '2031-01-01T00:00:00Z');

  it('occurrences are strictly increasing, within [startDate, endDate] and after `after`', () => {
    fc.assert(
      fc.property(scheduleArb, after, (r, a) => {
        const s = toSpec(r);
        const got = nextOccurrences(s, a, 30).map((d) => d.getTime());
        got.forEach((t, i) => {
          expect(t).toBeGreaterThan(a.getTime());
          expect(t).toBeGreaterThanOrEqual(s.startDate.getTime());
          if (s.endDate) expect(t).toBeLessThanOrEqual(s.endDate.getTime());
          if (i > 0) expect(t).toBeGreaterThan(got[i - 1] as number);
        });
      }),
    );
  });

  it('keeps the intended local time of day unless that wall time does not exist', () => {
    fc.assert(
      fc.property(scheduleArb, after, (r, a) => {
        const s = toSpec(r);
        const want = formatInTimeZone(s.startDate, s.timezone, 'HH:mm');
        for (const d of nextOccurrences(s, a, 30)) {
          const got = formatInTimeZone(d, s.timezone, 'HH:mm');
          if (got === want) continue;
          // Only allowed when the wall time was skipped: d is the first instant after the gap.
          const justBefore = formatInTimeZone(new Date(d.getTime() - 1), s.timezone, 'HH:mm');
          expect(justBefore < want && want < got).toBe(true);
        }
      }),
    );
  });

  it('MONTHLY lands on min(anchorDay, daysInMonth)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        instant('2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z'),
        (tz, start) => {
          const anchorDay = Number(formatInTimeZone(start, tz, 'd'));
          for (const d of nextOccurrences(
            { frequency: 'MONTHLY', timezone: tz, startDate: start },
            new Date(0),
            24,
          )) {
            const [y, m, day] = formatInTimeZone(d, tz, 'yyyy-M-d').split('-').map(Number) as [
              number,
              number,
              number,
            ];
            expect(day).toBe(Math.min(anchorDay, new Date(Date.UTC(y, m, 0)).getUTCDate()));
          }
        },
      ),
    );
  });

  it('skipping ahead agrees with walking from the anchor', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: 0, max: 60 }), (r, skip) => {
        const s = toSpec(r);
        const all = nextOccurrences(s, new Date(0), skip + 5);
        const pivot = all[skip];
        if (!pivot) return;
        const fromPivot = nextOccurrences(s, new Date(pivot.getTime() - 1), 5);
        expect(iso(fromPivot)).toEqual(iso(all.slice(skip, skip + 5)));
        expect(iso(occurrencesBetween(s, pivot, new Date(8_000_000_000_000), 5))).toEqual(iso(fromPivot));
      }),
    );
  });

  it('CUSTOM occurrences respect startDate, endDate and ordering', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('0 9 * * 1-5', '30 2 * * *', '0 0 1 * *', '*/15 * * * *', '0 12 29 2 *'),
        fc.constantFrom(...ZONES),
        instant('2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z'),
        after,
        (cron, tz, start, a) => {
          const s: ScheduleSpec = {
            frequency: 'CUSTOM',
            cronExpression: cron,
            timezone: tz,
            startDate: start,
          };
          const got = nextOccurrences(s, a, 10).map((d) => d.getTime());
          got.forEach((t, i) => {
            expect(t).toBeGreaterThan(a.getTime());
            expect(t).toBeGreaterThanOrEqual(start.getTime());
            if (i > 0) expect(t).toBeGreaterThan(got[i - 1] as number);
          });
        },
      ),
      { numRuns: 50 },
    );
  });
});
