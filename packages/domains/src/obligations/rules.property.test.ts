import fc from 'fast-check';
import type { ObligationState } from './rules';
import { LEVELS, nextCheckpoint, OBLIGATION_KINDS, planSteps, stepKey } from './rules';

import { at, DAY, HOUR, keysOf, makeState, rung, stepOf } from './rules.fixtures';

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
