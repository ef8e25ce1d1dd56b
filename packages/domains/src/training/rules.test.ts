import fc from 'fast-check';
import { addMonthsUtc, assignmentComputed, dueDateFor, inScope, trainingStats } from './rules';

describe('training rules', () => {
  const at = new Date('2026-01-31T10:00:00Z');
  it('takes the fixed due date first, then days after assignment, then 30 days', () => {
    const fixed = new Date('2026-03-01T00:00:00Z');
    expect(dueDateFor({ dueDaysAfterAssignment: 5, fixedDueDate: fixed }, at)).toEqual(fixed);
    expect(dueDateFor({ dueDaysAfterAssignment: 5, fixedDueDate: null }, at)).toEqual(
      new Date('2026-02-05T10:00:00Z'),
    );
    expect(dueDateFor({ dueDaysAfterAssignment: null, fixedDueDate: null }, at)).toEqual(
      new Date('2026-03-02T10:00:00Z'),
    );
  });
  it('adds months clamping to the month end', () => {
    expect(addMonthsUtc(at, 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonthsUtc(at, 12).toISOString()).toBe('2027-01-31T10:00:00.000Z');
  });
  it('adding months always moves forward', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 60 }),
        (d, m) => addMonthsUtc(d, m) > d,
      ),
    );
  });
  it('computes overdue and days until due', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(assignmentComputed({ dueDate: new Date('2026-01-03T00:00:00Z'), status: 'PENDING' }, now)).toEqual(
      {
        days_until_due: 2,
        is_overdue: false,
      },
    );
    expect(
      assignmentComputed({ dueDate: new Date('2025-12-30T00:00:00Z'), status: 'COMPLETED' }, now).is_overdue,
    ).toBe(false);
    expect(
      assignmentComputed({ dueDate: new Date('2025-12-30T00:00:00Z'), status: 'PENDING' }, now).is_overdue,
    ).toBe(true);
  });
  it('excludes waived assignments from the completion rate', () => {
    expect(trainingStats({ COMPLETED: 1, PENDING: 1, WAIVED: 2 })).toEqual({
      assigned: 4,
      in_progress: 0,
      completed: 1,
      overdue: 0,
      waived: 2,
      completion_rate: 50,
    });
    expect(trainingStats({}).completion_rate).toBe(0);
    // the API's one scale for rates: percent, 0–100, one decimal
    expect(trainingStats({ COMPLETED: 1, PENDING: 2 }).completion_rate).toBe(33.3);
  });
  it('selects members by scope', () => {
    const m = { id: 'm', teamIds: ['t'], roleIds: ['r'] };
    expect(inScope({ type: 'ALL', ids: [] }, m)).toBe(true);
    expect(inScope({ type: 'TEAM', ids: ['t'] }, m)).toBe(true);
    expect(inScope({ type: 'ROLE', ids: ['x'] }, m)).toBe(false);
    expect(inScope({ type: 'INDIVIDUAL', ids: ['m'] }, m)).toBe(true);
  });
});
