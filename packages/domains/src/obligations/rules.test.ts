import fc from 'fast-check';
import type { Level } from './rules';
import {
  durationToMs,
  formatDurationMs,
  isOverdue,
  isPastDue,
  nextCheckpoint,
  overdueCadence,
  planSteps,
  resolveLadder,
  stepKey,
} from './rules';

import { at, BASE, DAY, HOUR, keysOf, makeState, rung, stepOf } from './rules.fixtures';

describe('durationToMs', () => {
  it.each([
    ['PT24H', DAY],
    ['PT2S', 2000],
    ['P1D', DAY],
    ['P3D', 3 * DAY],
    ['P1W', 7 * DAY],
    ['P1DT2H', DAY + 2 * HOUR],
    ['PT1.5S', 1500],
    ['PT0,25S', 250],
    ['PT30M', 30 * 60_000],
    ['PT0S', 0],
    ['P1M', 30 * DAY],
    ['P1Y', 365 * DAY],
  ])('%s = %d ms', (iso, ms) => {
    expect(durationToMs(iso)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', '24H', 'xPT1H', 'PT1H ', '-PT1H', 'pt1h', 'P1.5D', 'PT1.5H30M', 'PT1H2D'])(
    'rejects %j with a clear error',
    (iso) => {
      expect(() => durationToMs(iso)).toThrow(/Invalid ISO-8601 duration/);
    },
  );
});

describe('formatDurationMs and stepKey', () => {
  it('formats canonically', () => {
    expect(formatDurationMs(7 * DAY)).toBe('P7D');
    expect(formatDurationMs(0)).toBe('PT0S');
    expect(formatDurationMs(1500)).toBe('PT1.5S');
    expect(formatDurationMs(DAY + HOUR + 60_000 + 1001)).toBe('P1DT1H1M1.001S');
    expect(formatDurationMs(2 * HOUR)).toBe('PT2H');
    expect(() => formatDurationMs(-1)).toThrow();
    expect(() => formatDurationMs(1.5)).toThrow();
  });

  it('round-trips through durationToMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 365 * DAY }), (ms) => {
        expect(durationToMs(formatDurationMs(ms))).toBe(ms);
      }),
    );
  });

  it('builds keys', () => {
    expect(stepKey('MARK_OVERDUE')).toBe('MARK_OVERDUE');
    expect(stepKey('REMIND', 'P7D')).toBe('REMIND:P7D');
    expect(stepKey('ESCALATE', 'L2')).toBe('ESCALATE:L2');
  });
});

describe('resolveLadder', () => {
  const cfg = (level: Level, after: string) => ({
    level,
    after,
    target: { type: 'TEAM_LEAD' as const },
    channels: ['email' as const],
  });

  it('converts after to milliseconds', () => {
    expect(resolveLadder([cfg('L1', 'PT24H'), cfg('L2', 'P2D')]).map((l) => [l.level, l.afterMs])).toEqual([
      ['L1', DAY],
      ['L2', 2 * DAY],
    ]);
    expect(resolveLadder([])).toEqual([]);
    expect(resolveLadder([cfg('L1', 'P1D'), cfg('L3', 'P1D')]).map((l) => l.level)).toEqual(['L1', 'L3']);
  });

  it('rejects bad order, repeated levels, decreasing after and bad durations', () => {
    expect(() => resolveLadder([cfg('L2', 'P1D'), cfg('L1', 'P2D')])).toThrow(/L1 must come after L2/);
    expect(() => resolveLadder([cfg('L1', 'P1D'), cfg('L1', 'P2D')])).toThrow(/must come after/);
    expect(() => resolveLadder([cfg('L1', 'P2D'), cfg('L2', 'P1D')])).toThrow(/earlier than the previous/);
    expect(() => resolveLadder([cfg('L1', 'two days')])).toThrow(/L1.*Invalid ISO-8601 duration/);
  });
});

describe('isOverdue', () => {
  it('is true from the deadline on, unless terminal or without deadline', () => {
    const dueAt = at(DAY);
    expect(isOverdue({ dueAt, terminal: false }, at(DAY - 1))).toBe(false);
    expect(isOverdue({ dueAt, terminal: false }, at(DAY))).toBe(true);
    expect(isOverdue({ dueAt, terminal: true }, at(2 * DAY))).toBe(false);
    expect(isOverdue({ dueAt: null, terminal: false }, at(2 * DAY))).toBe(false);
  });

  it('property: isPastDue turns true at the instant nextCheckpoint plans MARK_OVERDUE, and not before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * DAY }), (dueMs) => {
        const dueAt = at(dueMs);
        const state = makeState({ dueAt, preDue: [], ladder: [] });
        const step = stepOf(state);
        expect(step?.action).toBe('MARK_OVERDUE');
        const when = step?.at ?? dueAt;
        expect(isPastDue(dueAt, when)).toBe(true);
        expect(isPastDue(dueAt, new Date(when.getTime() - 1))).toBe(false);
        expect(isOverdue(state, when)).toBe(true);
      }),
    );
  });
});

describe('planSteps', () => {
  it('plans reminders, the due step and the ladder in time order', () => {
    const plan = planSteps(makeState());
    expect(plan.map((s) => [s.key, s.at.getTime() - BASE, s.level])).toEqual([
      ['REMIND:P7D', 23 * DAY, undefined],
      ['REMIND:P1D', 29 * DAY, undefined],
      ['MARK_OVERDUE', 30 * DAY, undefined],
      ['ESCALATE:L1', 31 * DAY, 'L1'],
      ['ESCALATE:L2', 33 * DAY, 'L2'],
    ]);
  });

  it('drops pre-due steps before openedAt and duplicates', () => {
    const state = makeState({
      openedAt: at(25 * DAY),
      preDue: [
        { offsetMs: 7 * DAY, action: 'REMIND' },
        { offsetMs: DAY, action: 'REMIND' },
        { offsetMs: DAY, action: 'REMIND' },
      ],
    });
    expect(keysOf(planSteps(state))).toEqual(['REMIND:P1D', 'MARK_OVERDUE', 'ESCALATE:L1', 'ESCALATE:L2']);
  });

  it('plans the capped overdue cadence: at most three reminders at 1, 3 and 6 intervals after the deadline', () => {
    expect(overdueCadence(HOUR)).toEqual([HOUR, 3 * HOUR, 6 * HOUR]);
    expect(overdueCadence(0)).toEqual([]);
    const state = makeState({ ladder: [], overdueReminderMs: overdueCadence(DAY) });
    const plan = planSteps(state).filter((p) => p.action === 'REMIND_OVERDUE');
    expect(plan.map((p) => [p.key, p.at.getTime() - (state.dueAt as Date).getTime()])).toEqual([
      ['REMIND_OVERDUE:P1D', DAY],
      ['REMIND_OVERDUE:P3D', 3 * DAY],
      ['REMIND_OVERDUE:P6D', 6 * DAY],
    ]);
    // Only obligations that go overdue get them (an expiring certification does not).
    expect(planSteps({ ...state, atDue: 'EXPIRE' }).some((p) => p.action === 'REMIND_OVERDUE')).toBe(false);
    // Never more than three, whatever is configured.
    expect(
      planSteps({ ...state, overdueReminderMs: [DAY, 2 * DAY, 3 * DAY, 4 * DAY] }).filter(
        (p) => p.action === 'REMIND_OVERDUE',
      ),
    ).toHaveLength(3);
  });

  it('keeps one first notice when every reminder falls before the obligation opened', () => {
    const state = makeState({
      openedAt: at(29.5 * DAY),
      preDue: [
        { offsetMs: 7 * DAY, action: 'REMIND' },
        { offsetMs: DAY, action: 'REMIND' },
      ],
    });
    const plan = planSteps(state);
    expect(keysOf(plan)).toEqual(['REMIND:P1D', 'MARK_OVERDUE', 'ESCALATE:L1', 'ESCALATE:L2']);
    expect(nextCheckpoint(state, at(29.5 * DAY))).toMatchObject({
      type: 'STEP',
      step: { key: 'REMIND:P1D' },
    });
  });

  it('orders same-instant actions: expiring-soon, remind, overdue/expire, escalations by level', () => {
    const state = makeState({
      kind: 'member_certification',
      preDue: [
        { offsetMs: 0, action: 'REMIND' },
        { offsetMs: 30 * DAY, action: 'REMIND' },
        { offsetMs: 30 * DAY, action: 'MARK_EXPIRING_SOON' },
      ],
      atDue: 'EXPIRE',
      ladder: [rung('L1', 0), rung('L2', 0)],
    });
    expect(keysOf(planSteps(state))).toEqual([
      'MARK_EXPIRING_SOON:P30D',
      'REMIND:P30D',
      'REMIND:PT0S',
      'EXPIRE',
      'ESCALATE:L1',
      'ESCALATE:L2',
    ]);
  });

  it('starts the ladder at openedAt for tickets, with or without a deadline', () => {
    const state = makeState({
      kind: 'ticket',
      dueAt: null,
      escalateFrom: 'OPENED',
      ladder: [rung('L1', HOUR), rung('L2', 2 * HOUR)],
    });
    expect(planSteps(state).map((s) => [s.key, s.at.getTime() - BASE])).toEqual([
      ['ESCALATE:L1', HOUR],
      ['ESCALATE:L2', 2 * HOUR],
    ]);
  });

  it('plans no escalation from a missing deadline', () => {
    expect(planSteps(makeState({ dueAt: null }))).toEqual([]);
  });

  it('climbs an unordered ladder in level order and keeps a repeated level once', () => {
    const state = makeState({ ladder: [rung('L2', DAY), rung('L1', 3 * DAY), rung('L1', 0)] });
    const esc = planSteps(state).filter((s) => s.action === 'ESCALATE');
    expect(esc.map((s) => [s.key, s.at.getTime() - BASE])).toEqual([
      ['ESCALATE:L1', 33 * DAY],
      ['ESCALATE:L2', 33 * DAY],
    ]);
  });

  it('rejects negative offsets', () => {
    expect(() => planSteps(makeState({ preDue: [{ offsetMs: -1, action: 'REMIND' }] }))).toThrow(/offsetMs/);
    expect(() => planSteps(makeState({ ladder: [rung('L1', -5)] }))).toThrow(/afterMs/);
  });
});

describe('nextCheckpoint', () => {
  it('is DONE when terminal', () => {
    expect(nextCheckpoint(makeState({ terminal: true, status: 'COMPLETED' }), at(0))).toEqual({
      type: 'DONE',
    });
  });

  it('returns the earliest step not done, even when its time has passed', () => {
    expect(stepOf(makeState(), at(40 * DAY))?.key).toBe('REMIND:P7D');
    expect(stepOf(makeState({ done: ['REMIND:P7D'] }))?.key).toBe('REMIND:P1D');
    expect(stepOf(makeState({ done: ['REMIND:P7D', 'REMIND:P1D'] }))).toMatchObject({
      key: 'MARK_OVERDUE',
      action: 'MARK_OVERDUE',
      at: at(30 * DAY),
    });
  });

  it('never goes back to a step ordered before a done step', () => {
    expect(stepOf(makeState({ done: ['REMIND:P1D'] }))?.key).toBe('MARK_OVERDUE');
    expect(stepOf(makeState({ done: ['MARK_OVERDUE'] }))?.key).toBe('ESCALATE:L1');
  });

  it('climbs one level at a time', () => {
    const step = stepOf(makeState({ done: ['REMIND:P7D', 'REMIND:P1D', 'MARK_OVERDUE', 'ESCALATE:L1'] }));
    expect(step).toMatchObject({ key: 'ESCALATE:L2', action: 'ESCALATE', level: 'L2' });
    const state = makeState({ ladder: [rung('L1', DAY), rung('L2', 3 * DAY), rung('L3', 5 * DAY)] });
    expect(nextCheckpoint({ ...state, done: ['ESCALATE:L2'] }, at(0))).toEqual({ type: 'WAIT' });
  });

  it('stops escalating once acknowledged but still marks overdue', () => {
    const ack = makeState({ escalationAcknowledged: true, done: ['REMIND:P7D', 'REMIND:P1D'] });
    expect(stepOf(ack, at(40 * DAY))?.key).toBe('MARK_OVERDUE');
    expect(nextCheckpoint({ ...ack, done: [...ack.done, 'MARK_OVERDUE'] }, at(40 * DAY))).toEqual({
      type: 'WAIT',
    });
    const midClimb = { ...ack, done: [...ack.done, 'MARK_OVERDUE', 'ESCALATE:L1'] };
    expect(nextCheckpoint(midClimb, at(40 * DAY))).toEqual({ type: 'WAIT' });
  });

  it('waits when every planned step is done or nothing is planned', () => {
    const all = keysOf(planSteps(makeState()));
    expect(nextCheckpoint(makeState({ done: all }), at(0))).toEqual({ type: 'WAIT' });
    expect(nextCheckpoint(makeState({ dueAt: null }), at(0))).toEqual({ type: 'WAIT' });
  });

  it('escalates a ticket from when it was opened', () => {
    const ticket = makeState({
      kind: 'ticket',
      status: 'OPEN',
      dueAt: null,
      escalateFrom: 'OPENED',
      ladder: [rung('L1', DAY)],
    });
    expect(stepOf(ticket)).toMatchObject({ key: 'ESCALATE:L1', at: at(DAY), level: 'L1' });
  });
});

// ---- properties ----------------------------------------------------------
