import fc from 'fast-check';
import type { Checkpoint, LadderLevel, Level, ObligationState } from './rules';
import {
  durationToMs,
  formatDurationMs,
  isOverdue,
  LEVELS,
  nextCheckpoint,
  OBLIGATION_KINDS,
  planSteps,
  resolveLadder,
  stepKey,
} from './rules';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = Date.UTC(2025, 0, 1);
const at = (ms: number): Date => new Date(BASE + ms);

function rung(level: Level, afterMs: number): LadderLevel {
  return { level, afterMs, target: { type: 'MANAGER' }, channels: ['email'] };
}

function makeState(over: Partial<ObligationState> = {}): ObligationState {
  return {
    kind: 'training_assignment',
    id: 'ob-1',
    workspaceId: 'ws-1',
    ownerId: 'u-1',
    status: 'PENDING',
    terminal: false,
    openedAt: at(0),
    dueAt: at(30 * DAY),
    preDue: [
      { offsetMs: 7 * DAY, action: 'REMIND' },
      { offsetMs: DAY, action: 'REMIND' },
    ],
    atDue: 'MARK_OVERDUE',
    escalateFrom: 'DUE',
    ladder: [rung('L1', DAY), rung('L2', 3 * DAY)],
    done: [],
    escalationAcknowledged: false,
    ...over,
  };
}

const keysOf = (steps: Checkpoint[]): string[] => steps.map((s) => s.key);
const stepOf = (state: ObligationState, now = at(0)): Checkpoint | null => {
  const next = nextCheckpoint(state, now);
  return next.type === 'STEP' ? next.step : null;
};

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

const arbMs = fc.oneof(
  fc.constantFrom(0, HOUR, DAY, 3 * DAY, 7 * DAY, 30 * DAY),
  fc.integer({ min: 0, max: 40 * DAY }),
);

const arbOrderedLadder = fc.subarray([...LEVELS]).chain((levels) =>
  fc.array(arbMs, { minLength: levels.length, maxLength: levels.length }).map((ms) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return levels.map((level, i) => rung(level, sorted[i] ?? 0));
  }),
);
const arbMessyLadder = fc.array(
  fc.record({ level: fc.constantFrom(...LEVELS), afterMs: arbMs }).map((r) => rung(r.level, r.afterMs)),
  { maxLength: 4 },
);

const arbBaseState: fc.Arbitrary<ObligationState> = fc
  .record({
    kind: fc.constantFrom(...OBLIGATION_KINDS),
    opened: fc.integer({ min: 0, max: 10 * DAY }),
    due: fc.option(fc.integer({ min: -5 * DAY, max: 60 * DAY }), { nil: null }),
    preDue: fc.array(
      fc.record({
        offsetMs: arbMs,
        action: fc.constantFrom('REMIND' as const, 'MARK_EXPIRING_SOON' as const),
      }),
      { maxLength: 4 },
    ),
    atDue: fc.constantFrom('MARK_OVERDUE' as const, 'EXPIRE' as const, null),
    escalateFrom: fc.constantFrom('DUE' as const, 'OPENED' as const),
    ladder: fc.oneof({ weight: 3, arbitrary: arbOrderedLadder }, { weight: 1, arbitrary: arbMessyLadder }),
    ack: fc.boolean(),
  })
  .map((r) =>
    makeState({
      kind: r.kind,
      openedAt: at(r.opened),
      dueAt: r.due === null ? null : at(r.due),
      preDue: r.preDue,
      atDue: r.atDue,
      escalateFrom: r.escalateFrom,
      ladder: r.ladder,
      escalationAcknowledged: r.ack,
    }),
  );

/** Any subset of the planned keys (plus, sometimes, keys the plan does not know). */
const arbState = arbBaseState.chain((state) =>
  fc
    .tuple(fc.subarray(keysOf(planSteps(state))), fc.subarray(['REMIND:P99D', 'ESCALATE:L9', 'OTHER']))
    .map(([done, extra]) => ({ ...state, done: [...done, ...extra] })),
);
const arbNow = fc.integer({ min: -10 * DAY, max: 120 * DAY }).map(at);

describe('nextCheckpoint properties', () => {
  it('(a) never returns a step ordered before a done step, nor a done step', () => {
    fc.assert(
      fc.property(arbState, arbNow, (state, now) => {
        const plan = keysOf(planSteps(state));
        const step = stepOf(state, now);
        if (step === null) return;
        const index = plan.indexOf(step.key);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(state.done).not.toContain(step.key);
        for (const key of state.done) {
          if (plan.includes(key)) expect(plan.indexOf(key)).toBeLessThan(index);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('(b) never skips a level', () => {
    fc.assert(
      fc.property(arbState, arbNow, (state, now) => {
        const step = stepOf(state, now);
        if (step?.action !== 'ESCALATE' || step.level === undefined) return;
        const mine = LEVELS.indexOf(step.level);
        for (const r of state.ladder) {
          if (LEVELS.indexOf(r.level) < mine) expect(state.done).toContain(stepKey('ESCALATE', r.level));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('(c) same input, same answer, input untouched, whatever the clock', () => {
    fc.assert(
      fc.property(arbState, arbNow, arbNow, (state, now1, now2) => {
        const before = JSON.stringify(state);
        const copy: ObligationState = { ...structuredClone(state) };
        expect(nextCheckpoint(state, now1)).toEqual(nextCheckpoint(copy, now2));
        expect(planSteps(state)).toEqual(planSteps(copy));
        expect(JSON.stringify(state)).toBe(before);
      }),
    );
  });

  it('(d) acknowledged: never ESCALATE, but MARK_OVERDUE once due and reached', () => {
    fc.assert(
      fc.property(arbState, arbNow, (state, now) => {
        const step = stepOf({ ...state, escalationAcknowledged: true }, now);
        expect(step?.action).not.toBe('ESCALATE');
      }),
      { numRuns: 300 },
    );
    const arbAckDue = arbBaseState.filter((s) => s.dueAt !== null && s.atDue === 'MARK_OVERDUE');
    fc.assert(
      fc.property(arbAckDue, fc.integer({ min: 0, max: 10 * DAY }), (base, late) => {
        const state = { ...base, escalationAcknowledged: true };
        const plan = planSteps(state);
        const index = plan.findIndex((s) => s.key === 'MARK_OVERDUE');
        const done = keysOf(plan.slice(0, index)).filter((k) => !k.startsWith('ESCALATE'));
        const now = new Date((state.dueAt?.getTime() ?? 0) + late);
        expect(stepOf({ ...state, done }, now)?.key).toBe('MARK_OVERDUE');
      }),
    );
  });

  it('(e) terminal means DONE', () => {
    fc.assert(
      fc.property(arbState, arbNow, (state, now) => {
        expect(nextCheckpoint({ ...state, terminal: true }, now)).toEqual({ type: 'DONE' });
      }),
    );
  });

  it('(f) performing each returned step makes progress and ends in WAIT within plan length', () => {
    fc.assert(
      fc.property(arbState, arbNow, (start, now) => {
        const planLength = planSteps(start).length;
        const done = [...start.done];
        let iterations = 0;
        for (;;) {
          const next = nextCheckpoint({ ...start, done }, now);
          if (next.type !== 'STEP') {
            expect(next.type).toBe('WAIT');
            break;
          }
          expect(done).not.toContain(next.step.key);
          done.push(next.step.key);
          iterations += 1;
          expect(iterations).toBeLessThanOrEqual(planLength);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('from scratch, performs the whole plan in order (minus escalations when acknowledged)', () => {
    fc.assert(
      fc.property(arbBaseState, arbNow, (state, now) => {
        const performed: string[] = [];
        for (let next = nextCheckpoint(state, now); next.type === 'STEP'; ) {
          performed.push(next.step.key);
          next = nextCheckpoint({ ...state, done: performed }, now);
        }
        const plan = keysOf(planSteps(state));
        const expected = state.escalationAcknowledged ? plan.filter((k) => !k.startsWith('ESCALATE')) : plan;
        expect(performed).toEqual(expected);
      }),
    );
  });

  it('plans unique keys in non-decreasing time, escalations in level order', () => {
    fc.assert(
      fc.property(arbBaseState, (state) => {
        const plan = planSteps(state);
        expect(new Set(keysOf(plan)).size).toBe(plan.length);
        plan.forEach((s, i) => {
          const prev = plan[i - 1];
          if (prev) expect(prev.at.getTime()).toBeLessThanOrEqual(s.at.getTime());
        });
        const levels = plan
          .filter((s) => s.action === 'ESCALATE')
          .map((s) => LEVELS.indexOf(s.level ?? 'L1'));
        expect(levels).toEqual([...levels].sort((a, b) => a - b));
      }),
    );
  });
});
