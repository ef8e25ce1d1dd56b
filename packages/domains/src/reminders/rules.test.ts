import fc from 'fast-check';
import {
  type Frequency,
  localDayWindow,
  nextOccurrence,
  nextOccurrences,
  occurrencesBetween,
  type ScheduleSpec,
  validateSchedule,
  wallTimeToInstant,
} from './rules';
import { iso, local, spec } from './rules.fixtures';

describe('validateSchedule', () => {
  it('accepts a valid schedule', () => {
    expect(validateSchedule(spec({ frequency: 'WEEKLY', timezone: 'Europe/Paris' }))).toEqual([]);
    expect(validateSchedule(spec({ frequency: 'CUSTOM', cronExpression: '0 9 * * 1-5' }))).toEqual([]);
  });

  it('reports each problem with its field', () => {
    const fields = (s: ScheduleSpec) => validateSchedule(s).map((i) => i.field);
    expect(fields(spec({ frequency: 'DAILY', timezone: 'Mars/Olympus' }))).toEqual(['timezone']);
    expect(fields(spec({ frequency: 'DAILY', timezone: '+02:00' }))).toEqual(['timezone']);
    expect(fields(spec({ frequency: 'CUSTOM' }))).toEqual(['cron_expression']);
    expect(fields(spec({ frequency: 'CUSTOM', cronExpression: '  ' }))).toEqual(['cron_expression']);
    expect(fields(spec({ frequency: 'CUSTOM', cronExpression: 'every day' }))).toEqual(['cron_expression']);
    expect(fields(spec({ frequency: 'CUSTOM', cronExpression: '0 0 30 2 *' }))).toEqual(['cron_expression']);
    expect(fields(spec({ frequency: 'MONTHLY', cronExpression: '0 9 * * *' }))).toEqual(['cron_expression']);
    expect(fields(spec({ frequency: 'DAILY', endDate: new Date('2023-12-31T00:00:00Z') }))).toEqual([
      'end_date',
    ]);
    expect(fields(spec({ frequency: 'DAILY', startDate: new Date('nope') }))).toEqual(['start_date']);
    expect(fields(spec({ frequency: 'HOURLY' as Frequency }))).toEqual(['frequency']);
  });

  it('allows endDate equal to startDate and an empty cron on non-CUSTOM', () => {
    const start = new Date('2024-01-01T09:00:00Z');
    expect(validateSchedule(spec({ frequency: 'ONCE', startDate: start, endDate: start }))).toEqual([]);
    expect(validateSchedule(spec({ frequency: 'DAILY', cronExpression: null }))).toEqual([]);
  });
});

describe('nextOccurrences basics', () => {
  it('includes startDate when it is after `after`, and is strictly after otherwise', () => {
    const s = spec({ frequency: 'DAILY' });
    expect(iso(nextOccurrences(s, new Date('2023-01-01T00:00:00Z'), 2))).toEqual([
      '2024-01-01T09:00:00.000Z',
      '2024-01-02T09:00:00.000Z',
    ]);
    expect(iso(nextOccurrences(s, new Date('2024-01-01T09:00:00Z'), 1))).toEqual([
      '2024-01-02T09:00:00.000Z',
    ]);
  });

  it('ONCE yields only startDate', () => {
    const s = spec({ frequency: 'ONCE' });
    expect(iso(nextOccurrences(s, new Date(0), 5))).toEqual(['2024-01-01T09:00:00.000Z']);
    expect(nextOccurrence(s, new Date('2024-01-01T09:00:00Z'))).toBeNull();
  });

  it('never goes past endDate', () => {
    const s = spec({ frequency: 'WEEKLY', endDate: new Date('2024-01-15T09:00:00Z') });
    expect(iso(nextOccurrences(s, new Date(0), 10))).toEqual([
      '2024-01-01T09:00:00.000Z',
      '2024-01-08T09:00:00.000Z',
      '2024-01-15T09:00:00.000Z',
    ]);
    expect(nextOccurrence(s, new Date('2024-01-15T09:00:00Z'))).toBeNull();
  });

  it('steps DAILY, WEEKLY and BIWEEKLY by local calendar days', () => {
    const after = new Date(0);
    expect(iso(nextOccurrences(spec({ frequency: 'BIWEEKLY' }), after, 3))).toEqual([
      '2024-01-01T09:00:00.000Z',
      '2024-01-15T09:00:00.000Z',
      '2024-01-29T09:00:00.000Z',
    ]);
  });

  it('skips ahead correctly when `after` is far past the anchor', () => {
    const s = spec({ frequency: 'WEEKLY', timezone: 'Europe/Paris' });
    const next = nextOccurrence(s, new Date('2030-06-05T12:00:00Z'));
    expect(next?.toISOString()).toBe('2030-06-10T08:00:00.000Z'); // 10:00 CEST, the anchor's local time
  });

  it('returns nothing for count 0 and throws for an uncomputable schedule', () => {
    expect(nextOccurrences(spec({ frequency: 'DAILY' }), new Date(0), 0)).toEqual([]);
    expect(() =>
      nextOccurrences(spec({ frequency: 'DAILY', timezone: 'Nope/Nope' }), new Date(0), 1),
    ).toThrow(RangeError);
    expect(() => nextOccurrences(spec({ frequency: 'CUSTOM' }), new Date(0), 1)).toThrow(RangeError);
  });
});

describe('DST', () => {
  it.each([
    // [zone, first occurrence before spring forward, the week after; first before fall back, the week after]
    [
      'Europe/Paris',
      ['2024-03-28T08:00:00.000Z', '2024-04-04T07:00:00.000Z'],
      ['2024-10-24T07:00:00.000Z', '2024-10-31T08:00:00.000Z'],
    ],
    [
      'America/New_York',
      ['2024-03-08T14:00:00.000Z', '2024-03-15T13:00:00.000Z'],
      ['2024-10-31T13:00:00.000Z', '2024-11-07T14:00:00.000Z'],
    ],
  ])('keeps 09:00 local for a weekly %s reminder across both changes', (tz, spring, fall) => {
    for (const expected of [spring, fall]) {
      const weekly = spec({ frequency: 'WEEKLY', timezone: tz, startDate: new Date(expected[0] as string) });
      expect(iso(nextOccurrences(weekly, new Date(0), 2))).toEqual(expected);
    }
  });

  it('moves a non-existent spring-forward wall time to the first valid instant', () => {
    const ny = spec({
      frequency: 'DAILY',
      timezone: 'America/New_York',
      startDate: new Date('2024-03-09T07:30:00Z'),
    });
    const got = nextOccurrences(ny, new Date(0), 3);
    expect(got.map((d) => local(d, 'America/New_York'))).toEqual([
      '2024-03-09T02:30',
      '2024-03-10T03:00',
      '2024-03-11T02:30',
    ]);
    expect(got[1]?.toISOString()).toBe('2024-03-10T07:00:00.000Z');
    const paris = spec({
      frequency: 'DAILY',
      timezone: 'Europe/Paris',
      startDate: new Date('2024-03-30T01:30:00Z'),
    });
    expect(iso(nextOccurrences(paris, new Date(0), 3))).toEqual([
      '2024-03-30T01:30:00.000Z',
      '2024-03-31T01:00:00.000Z',
      '2024-04-01T00:30:00.000Z',
    ]);
  });

  it('takes the first instant of an ambiguous fall-back wall time', () => {
    const ny = spec({
      frequency: 'DAILY',
      timezone: 'America/New_York',
      startDate: new Date('2024-11-02T05:30:00Z'),
    });
    expect(iso(nextOccurrences(ny, new Date(0), 3))).toEqual([
      '2024-11-02T05:30:00.000Z',
      '2024-11-03T05:30:00.000Z',
      '2024-11-04T06:30:00.000Z',
    ]);
    const paris = spec({
      frequency: 'DAILY',
      timezone: 'Europe/Paris',
      startDate: new Date('2024-10-26T00:30:00Z'),
    });
    expect(iso(nextOccurrences(paris, new Date(0), 3))).toEqual([
      '2024-10-26T00:30:00.000Z',
      '2024-10-27T00:30:00.000Z',
      '2024-10-28T01:30:00.000Z',
    ]);
  });

  it('resolves wall times directly', () => {
    const wall = Date.UTC(2024, 2, 10, 2, 30);
    expect(new Date(wallTimeToInstant(wall, 'America/New_York')).toISOString()).toBe(
      '2024-03-10T07:00:00.000Z',
    );
    const lordHowe = Date.UTC(2024, 9, 6, 2, 15); // 30-minute spring-forward gap at 02:00
    expect(local(new Date(wallTimeToInstant(lordHowe, 'Australia/Lord_Howe')), 'Australia/Lord_Howe')).toBe(
      '2024-10-06T02:30',
    );
  });
});

describe('month stepping', () => {
  const months = (frequency: Frequency, start: string, count: number, tz = 'UTC') =>
    nextOccurrences(spec({ frequency, timezone: tz, startDate: new Date(start) }), new Date(0), count).map(
      (d) => local(d, tz),
    );

  it('clamps the 31st to month end without drifting', () => {
    expect(months('MONTHLY', '2023-01-31T09:00:00Z', 5)).toEqual([
      '2023-01-31T09:00',
      '2023-02-28T09:00',
      '2023-03-31T09:00',
      '2023-04-30T09:00',
      '2023-05-31T09:00',
    ]);
  });

  it('lands on Feb 29 in a leap year', () => {
    expect(months('MONTHLY', '2024-01-31T09:00:00Z', 3)).toEqual([
      '2024-01-31T09:00',
      '2024-02-29T09:00',
      '2024-03-31T09:00',
    ]);
    expect(months('YEARLY', '2024-02-29T09:00:00Z', 5)).toEqual([
      '2024-02-29T09:00',
      '2025-02-28T09:00',
      '2026-02-28T09:00',
      '2027-02-28T09:00',
      '2028-02-29T09:00',
    ]);
  });

  it('steps QUARTERLY and SEMI_ANNUAL from the anchor', () => {
    expect(months('QUARTERLY', '2023-11-30T09:00:00Z', 4)).toEqual([
      '2023-11-30T09:00',
      '2024-02-29T09:00',
      '2024-05-30T09:00',
      '2024-08-30T09:00',
    ]);
    expect(months('SEMI_ANNUAL', '2023-08-31T09:00:00Z', 3)).toEqual([
      '2023-08-31T09:00',
      '2024-02-29T09:00',
      '2024-08-31T09:00',
    ]);
  });

  it('keeps local time across DST for monthly reminders', () => {
    expect(months('MONTHLY', '2024-01-31T14:00:00Z', 3, 'America/New_York')).toEqual([
      '2024-01-31T09:00',
      '2024-02-29T09:00',
      '2024-03-31T09:00',
    ]);
  });
});

describe('CUSTOM (cron)', () => {
  const weekdays = spec({
    frequency: 'CUSTOM',
    cronExpression: '0 9 * * 1-5',
    timezone: 'Europe/Paris',
    startDate: new Date('2024-03-29T08:00:00Z'), // Friday 09:00 CET
  });

  it('fires in the reminder timezone and includes a fire time equal to startDate', () => {
    expect(iso(nextOccurrences(weekdays, new Date(0), 3))).toEqual([
      '2024-03-29T08:00:00.000Z',
      '2024-04-01T07:00:00.000Z',
      '2024-04-02T07:00:00.000Z',
    ]);
  });

  it('never fires before startDate or after endDate', () => {
    const bounded = {
      ...weekdays,
      startDate: new Date('2024-03-29T08:00:01Z'),
      endDate: new Date('2024-04-02T07:00:00Z'),
    };
    expect(iso(nextOccurrences(bounded, new Date(0), 10))).toEqual([
      '2024-04-01T07:00:00.000Z',
      '2024-04-02T07:00:00.000Z',
    ]);
  });

  it('handles rare fire times and rejects an unparseable cron', () => {
    const leapDay = spec({
      frequency: 'CUSTOM',
      cronExpression: '0 12 29 2 *',
      startDate: new Date('2025-01-01T00:00:00Z'),
    });
    expect(iso(nextOccurrences(leapDay, new Date(0), 2))).toEqual([
      '2028-02-29T12:00:00.000Z',
      '2032-02-29T12:00:00.000Z',
    ]);
    expect(
      nextOccurrences({ ...leapDay, endDate: new Date('2027-12-31T00:00:00Z') }, new Date(0), 2),
    ).toEqual([]);
    const impossible = spec({ frequency: 'CUSTOM', cronExpression: '0 0 30 2 *' });
    expect(() => nextOccurrences(impossible, new Date(0), 3)).toThrow(RangeError);
  });
});

describe('occurrencesBetween', () => {
  const daily = spec({ frequency: 'DAILY' });

  it('returns the half-open window [from, to)', () => {
    const got = occurrencesBetween(
      daily,
      new Date('2024-01-02T09:00:00Z'),
      new Date('2024-01-05T09:00:00Z'),
      100,
    );
    expect(iso(got)).toEqual([
      '2024-01-02T09:00:00.000Z',
      '2024-01-03T09:00:00.000Z',
      '2024-01-04T09:00:00.000Z',
    ]);
  });

  it('honours the limit and empty windows', () => {
    expect(occurrencesBetween(daily, new Date(0), new Date('2025-01-01T00:00:00Z'), 2)).toHaveLength(2);
    expect(
      occurrencesBetween(daily, new Date('2024-02-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'), 5),
    ).toEqual([]);
  });
});

describe('localDayWindow', () => {
  it('follows the local calendar day, including a 23-hour DST day', () => {
    // Sunday 29 March 2026, 03:30 in Paris: clocks went from 02:00 to 03:00 that night.
    const w = localDayWindow(new Date('2026-03-29T01:30:00Z'), 'Europe/Paris');
    expect(w.todayStart.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(w.todayEnd.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // Sunday: the week ends at Monday's local midnight, the same instant.
    expect(w.weekEnd.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('is a different day on each side of the date line', () => {
    const now = new Date('2026-06-10T22:00:00Z'); // Wednesday in UTC; already Thursday in Auckland
    expect(localDayWindow(now, 'UTC').todayStart.toISOString()).toBe('2026-06-10T00:00:00.000Z');
    expect(localDayWindow(now, 'UTC').weekEnd.toISOString()).toBe('2026-06-15T00:00:00.000Z');
    const nz = localDayWindow(now, 'Pacific/Auckland');
    expect(nz.todayStart.toISOString()).toBe('2026-06-10T12:00:00.000Z');
    expect(nz.weekEnd.toISOString()).toBe('2026-06-14T12:00:00.000Z');
    expect(localDayWindow(now, 'Not/AZone')).toEqual(localDayWindow(now, 'UTC'));
  });

  it('always contains now, and today is inside the week', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(
          'UTC',
          'Europe/Paris',
          'America/New_York',
          'Asia/Kolkata',
          'Pacific/Auckland',
          'Australia/Lord_Howe',
        ),
        (now, tz) => {
          const w = localDayWindow(now, tz);
          const len = w.todayEnd.getTime() - w.todayStart.getTime();
          return (
            w.todayStart <= now &&
            now < w.todayEnd &&
            w.todayEnd <= w.weekEnd &&
            len >= 23 * 3_600_000 &&
            len <= 25 * 3_600_000 &&
            w.weekEnd.getTime() - w.todayStart.getTime() <= 7 * 25 * 3_600_000
          );
        },
      ),
    );
  });
});
