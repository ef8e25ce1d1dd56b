import { formatInTimeZone } from 'date-fns-tz';
import fc from 'fast-check';
import {
  dedupeKey,
  deliverAfter,
  deliveryBackoffMs,
  MAX_DELIVERY_ATTEMPTS,
  reminderCadence,
  resolveChannels,
  revealSecrets,
  secretPlaceholder,
} from './rules';

const iso = (d: Date) => d.toISOString();
const local = (d: Date, tz: string) => formatInTimeZone(d, tz, "EEE yyyy-MM-dd'T'HH:mm");
const minutesOf = (d: Date, tz: string) => {
  const [h, m] = formatInTimeZone(d, tz, 'HH:mm').split(':').map(Number) as [number, number];
  return h * 60 + m;
};
const clock = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
const quiet = (minutes: number, start: string, end: string) => {
  const s = clock(start);
  const e = clock(end);
  if (s === e) return false;
  return s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
};

describe('deliverAfter', () => {
  const paris = { timezone: 'Europe/Paris', quietHours: { start: '22:00', end: '07:00' } };

  it('returns now outside quiet hours', () => {
    const now = new Date('2024-06-12T10:00:00Z'); // Wednesday 12:00 in Paris
    expect(deliverAfter(now, paris)).toEqual(now);
    expect(deliverAfter(now, { timezone: 'UTC' })).toEqual(now);
  });

  it('moves a late-evening message to the end of quiet hours the next morning', () => {
    const now = new Date('2024-06-12T21:30:00Z'); // 23:30 Paris (CEST)
    expect(local(deliverAfter(now, paris), 'Europe/Paris')).toBe('Thu 2024-06-13T07:00');
    expect(iso(deliverAfter(now, paris))).toBe('2024-06-13T05:00:00.000Z');
  });

  it('moves an early-morning message to the end of quiet hours the same day', () => {
    const now = new Date('2024-06-12T02:00:00Z'); // 04:00 Paris
    expect(iso(deliverAfter(now, paris))).toBe('2024-06-12T05:00:00.000Z');
  });

  it('treats the start as quiet and the end as not quiet', () => {
    expect(iso(deliverAfter(new Date('2024-06-12T20:00:00Z'), paris))).toBe('2024-06-13T05:00:00.000Z');
    const end = new Date('2024-06-12T05:00:00Z');
    expect(deliverAfter(end, paris)).toEqual(end);
  });

  it('supports quiet hours that do not wrap midnight', () => {
    const lunch = { timezone: 'UTC', quietHours: { start: '12:00', end: '13:30' } };
    expect(iso(deliverAfter(new Date('2024-06-12T12:45:00Z'), lunch))).toBe('2024-06-12T13:30:00.000Z');
    const later = new Date('2024-06-12T13:30:00Z');
    expect(deliverAfter(later, lunch)).toEqual(later);
  });

  it('ignores invalid or empty quiet hours and unknown zones', () => {
    const now = new Date('2024-06-12T23:30:00Z');
    expect(deliverAfter(now, { timezone: 'UTC', quietHours: { start: '25:00', end: '07:00' } })).toEqual(now);
    expect(deliverAfter(now, { timezone: 'UTC', quietHours: { start: '07:00', end: '07:00' } })).toEqual(now);
    expect(
      iso(deliverAfter(now, { timezone: 'Nowhere/Else', quietHours: { start: '22:00', end: '07:00' } })),
    ).toBe('2024-06-13T07:00:00.000Z');
  });

  it('moves weekend messages to Monday at the quiet-hours end, or 09:00 without quiet hours', () => {
    const saturday = new Date('2024-06-15T12:00:00Z');
    expect(local(deliverAfter(saturday, { ...paris, skipWeekends: true }), 'Europe/Paris')).toBe(
      'Mon 2024-06-17T07:00',
    );
    expect(
      local(deliverAfter(saturday, { timezone: 'America/New_York', skipWeekends: true }), 'America/New_York'),
    ).toBe('Mon 2024-06-17T09:00');
    expect(deliverAfter(saturday, { timezone: 'UTC', skipWeekends: false })).toEqual(saturday);
  });

  it('moves a Friday-night message past quiet hours and then past the weekend', () => {
    const friday = new Date('2024-06-14T21:30:00Z'); // Fri 23:30 Paris
    expect(local(deliverAfter(friday, { ...paris, skipWeekends: true }), 'Europe/Paris')).toBe(
      'Mon 2024-06-17T07:00',
    );
  });

  it('uses the local day, not the UTC day, for weekends', () => {
    // Sunday 23:00 UTC is Monday 08:00 in Tokyo.
    const now = new Date('2024-06-16T23:00:00Z');
    expect(deliverAfter(now, { timezone: 'Asia/Tokyo', skipWeekends: true })).toEqual(now);
    expect(
      local(
        deliverAfter(now, { timezone: 'America/Los_Angeles', skipWeekends: true }),
        'America/Los_Angeles',
      ),
    ).toBe('Mon 2024-06-17T09:00');
  });

  it('moves a quiet-hours end that a spring-forward gap skips to the transition', () => {
    // New York springs forward on 2024-03-10 at 02:00 EST to 03:00 EDT; 02:30 does not exist.
    const now = new Date('2024-03-10T05:00:00Z'); // 00:00 EST
    const at = deliverAfter(now, {
      timezone: 'America/New_York',
      quietHours: { start: '22:00', end: '02:30' },
    });
    expect(iso(at)).toBe('2024-03-10T07:00:00.000Z');
    expect(local(at, 'America/New_York')).toBe('Sun 2024-03-10T03:00');
  });

  it('takes the earliest instant of an ambiguous fall-back end that is still later than now', () => {
    // New York falls back on 2024-11-03: 01:00-02:00 happens twice (EDT, then EST).
    const hours = { timezone: 'America/New_York', quietHours: { start: '00:00', end: '01:30' } };
    expect(iso(deliverAfter(new Date('2024-11-03T04:30:00Z'), hours))).toBe('2024-11-03T05:30:00.000Z');
    // 01:15 EST (second pass): the first 01:30 (EDT) is already past, so the second one (EST).
    expect(iso(deliverAfter(new Date('2024-11-03T06:15:00Z'), hours))).toBe('2024-11-03T06:30:00.000Z');
  });

  const ZONES = [
    'UTC',
    'Europe/Paris',
    'America/New_York',
    'America/Los_Angeles',
    'America/St_Johns',
    'Asia/Kolkata',
    'Asia/Tokyo',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Pacific/Apia',
  ];
  const hhmm = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45, 59))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const arbitrary = fc.record({
    now: fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    timezone: fc.constantFrom(...ZONES),
    quietHours: fc.option(fc.record({ start: hhmm, end: hhmm }), { nil: null }),
    skipWeekends: fc.boolean(),
  });

  it('never delivers early, inside quiet hours or on a weekend, and is idempotent', () => {
    fc.assert(
      fc.property(arbitrary, ({ now, ...opts }) => {
        const at = deliverAfter(now, opts);
        expect(at.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(at.getTime() - now.getTime()).toBeLessThanOrEqual(4 * 86_400_000);
        if (opts.quietHours)
          expect(quiet(minutesOf(at, opts.timezone), opts.quietHours.start, opts.quietHours.end)).toBe(false);
        if (opts.skipWeekends)
          expect(['Sat', 'Sun']).not.toContain(formatInTimeZone(at, opts.timezone, 'EEE'));
        expect(deliverAfter(at, opts).getTime()).toBe(at.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('does not move a message that is already deliverable', () => {
    fc.assert(
      fc.property(arbitrary, ({ now, ...opts }) => {
        const isQuiet = opts.quietHours
          ? quiet(minutesOf(now, opts.timezone), opts.quietHours.start, opts.quietHours.end)
          : false;
        const weekend =
          opts.skipWeekends && ['Sat', 'Sun'].includes(formatInTimeZone(now, opts.timezone, 'EEE'));
        if (!isQuiet && !weekend) expect(deliverAfter(now, opts)).toEqual(now);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('reminderCadence', () => {
  it('sends a first notice and three reminders one, two and three intervals apart', () => {
    const first = new Date('2024-06-01T09:00:00Z');
    expect(reminderCadence(first, 86_400_000).map(iso)).toEqual([
      '2024-06-01T09:00:00.000Z',
      '2024-06-02T09:00:00.000Z',
      '2024-06-04T09:00:00.000Z',
      '2024-06-07T09:00:00.000Z',
    ]);
  });

  it('sends only the first notice when the interval is not positive', () => {
    const first = new Date('2024-06-01T09:00:00Z');
    expect(reminderCadence(first, 0)).toEqual([first]);
    expect(reminderCadence(first, Number.NaN)).toEqual([first]);
  });

  it('spaces reminders by growing gaps and never sends more than four messages', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 30 * 86_400_000 }),
        (first, i) => {
          const times = reminderCadence(first, i).map((d) => d.getTime());
          expect(times).toHaveLength(4);
          expect(times[0]).toBe(first.getTime());
          const gaps = times.slice(1).map((t, k) => t - (times[k] ?? 0));
          expect(gaps).toEqual([i, 2 * i, 3 * i]);
        },
      ),
    );
  });
});

describe('dedupeKey', () => {
  const parts = {
    kind: 'training_assignment',
    obligationId: '0190a1b2-0000-7000-8000-000000000001',
    stepKey: 'ESCALATE:L2',
    recipientId: '0190a1b2-0000-7000-8000-000000000002',
    channel: 'email',
  };

  it('is stable and names every part', () => {
    expect(dedupeKey(parts)).toBe(dedupeKey({ ...parts }));
    expect(dedupeKey(parts)).toBe(
      'training_assignment:0190a1b2-0000-7000-8000-000000000001:ESCALATE%3AL2:0190a1b2-0000-7000-8000-000000000002:email',
    );
  });

  it('gives different keys to different parts, even with separators inside them', () => {
    const part = fc.string({ unit: fc.constantFrom('a', ':', '%', '3', 'A') });
    const arb = fc.record({
      kind: part,
      obligationId: part,
      stepKey: part,
      recipientId: part,
      channel: part,
    });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const same = Object.keys(a).every((k) => a[k as keyof typeof a] === b[k as keyof typeof b]);
        expect(dedupeKey(a) === dedupeKey(b)).toBe(same);
      }),
    );
  });
});

describe('resolveChannels', () => {
  const member = { email: 'ana@example.com', slackUserId: 'U123' };
  const both = { email: true, slack: true };

  it('keeps requested channels that are configured and reachable', () => {
    expect(resolveChannels(['email', 'slack'], member, both)).toEqual(['email', 'slack']);
    expect(resolveChannels(['email', 'slack'], member, { email: true, slack: false })).toEqual(['email']);
    expect(resolveChannels(['email', 'slack'], { ...member, slackUserId: null }, both)).toEqual(['email']);
  });

  it('honours member preferences when set', () => {
    expect(
      resolveChannels(['email', 'slack'], { ...member, preferences: { channels: ['slack'] } }, both),
    ).toEqual(['slack']);
    expect(resolveChannels(['email', 'slack'], { ...member, preferences: {} }, both)).toEqual([
      'email',
      'slack',
    ]);
  });

  it('falls back to the log channel when nothing is left', () => {
    expect(resolveChannels(['email', 'slack'], member, { email: false, slack: false })).toEqual(['log']);
    expect(resolveChannels(['slack'], { ...member, preferences: { channels: ['email'] } }, both)).toEqual([
      'log',
    ]);
    expect(resolveChannels([], member, both)).toEqual(['log']);
  });

  it('keeps an explicitly requested log channel and removes duplicates', () => {
    expect(resolveChannels(['log', 'email', 'email'], member, both)).toEqual(['log', 'email']);
  });

  it('never returns an empty, unavailable or unwanted channel', () => {
    const ch = fc.constantFrom<'email' | 'slack' | 'log'>('email', 'slack', 'log');
    fc.assert(
      fc.property(
        fc.array(ch),
        fc.record({
          email: fc.option(fc.constant('a@example.com'), { nil: null }),
          slackUserId: fc.option(fc.constant('U1'), { nil: null }),
          preferences: fc.option(
            fc.record({ channels: fc.subarray<'email' | 'slack'>(['email', 'slack']) }, { requiredKeys: [] }),
            { nil: undefined },
          ),
        }),
        fc.record({ email: fc.boolean(), slack: fc.boolean() }),
        (requested, m, available) => {
          const out = resolveChannels(requested, m, available);
          expect(out.length).toBeGreaterThan(0);
          expect(new Set(out).size).toBe(out.length);
          for (const c of out) {
            if (c === 'log') continue;
            expect(requested).toContain(c);
            expect(available[c]).toBe(true);
            expect(c === 'email' ? m.email : m.slackUserId).toBeTruthy();
            if (m.preferences?.channels) expect(m.preferences.channels).toContain(c);
          }
        },
      ),
    );
  });
});

describe('deliveryBackoffMs', () => {
  it('doubles from 1 s and stops growing at 5 minutes', () => {
    expect([1, 2, 3, 4].map((a) => deliveryBackoffMs(a, 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(deliveryBackoffMs(20, 0)).toBe(300_000);
  });

  it('stays within [base, 1.2 × base] and never shrinks with more attempts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (a, r) => {
        const base = deliveryBackoffMs(a, 0);
        const got = deliveryBackoffMs(a, r);
        return got >= base && got <= Math.round(base * 1.2) && deliveryBackoffMs(a + 1, 0) >= base;
      }),
    );
  });

  it('gives every row at least ten minutes of attempts before it is marked FAILED', () => {
    let total = 0;
    for (let a = 1; a < MAX_DELIVERY_ATTEMPTS; a++) total += deliveryBackoffMs(a, 0);
    expect(total).toBeGreaterThan(600_000);
  });
});

describe('secret placeholders', () => {
  it('reveal every occurrence of each secret, and nothing else', () => {
    const text = `Open https://v.example/ack/${secretPlaceholder('ack_token')} (or ${secretPlaceholder('ack_token')})`;
    expect(revealSecrets(text, { ack_token: 'abc' })).toBe('Open https://v.example/ack/abc (or abc)');
    expect(revealSecrets(text, null)).toBe(text);
    expect(secretPlaceholder('a b')).toBe('__vigil_secret_a_b__');
  });

  it('never leave a placeholder behind once its secret is known', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), (a, b, secret) => {
        const out = revealSecrets(`${a}${secretPlaceholder('t')}${b}`, { t: secret });
        return out === `${a}${secret}${b}` || `${a}${b}`.includes(secretPlaceholder('t'));
      }),
    );
  });
});
