import fc from 'fast-check';
import { describeNext, type InboxEntry, inboxOrder, relativeTime } from './inbox-rules';

const now = new Date('2026-12-02T10:00:00Z');
const entry = (over: Partial<InboxEntry>): InboxEntry => ({
  kind: 'training_assignment',
  id: 'a',
  title: 't',
  status: 'PENDING',
  dueAt: null,
  overdue: false,
  escalationLevel: null,
  next: null,
  ...over,
});

describe('inbox order', () => {
  it('puts overdue items first, then the soonest due, then those without a deadline', () => {
    const items = [
      entry({ id: 'none' }),
      entry({ id: 'later', dueAt: new Date('2026-12-20T00:00:00Z') }),
      entry({ id: 'late', dueAt: new Date('2026-12-25T00:00:00Z'), overdue: true }),
      entry({ id: 'soon', dueAt: new Date('2026-12-03T00:00:00Z') }),
    ];
    expect(items.sort(inboxOrder).map((i) => i.id)).toEqual(['late', 'soon', 'later', 'none']);
  });

  it('is a total order: antisymmetric and the same whatever the input order', () => {
    const arb = fc.record({
      id: fc.uuid(),
      overdue: fc.boolean(),
      dueAt: fc.option(fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true })),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arb, { maxLength: 20, selector: (r) => r.id }), (raw) => {
        const items = raw.map((r) => entry(r));
        const a = [...items].sort(inboxOrder).map((i) => i.id);
        const b = [...items]
          .reverse()
          .sort(inboxOrder)
          .map((i) => i.id);
        expect(a).toEqual(b);
        for (const x of items)
          for (const y of items) expect(Math.sign(inboxOrder(x, y)) + Math.sign(inboxOrder(y, x))).toBe(0);
      }),
    );
  });
});

describe('next step wording', () => {
  it('names the escalation target and the time left', () => {
    expect(describeNext({ action: 'ESCALATE', level: 'L2', at: new Date('2026-12-04T11:00:00Z') }, now)).toBe(
      'escalates to your manager in 2 days',
    );
    expect(describeNext({ action: 'REMIND', at: new Date('2026-12-02T13:30:00Z') }, now)).toBe(
      'reminder in 3 hours',
    );
    expect(describeNext({ action: 'MARK_OVERDUE', at: new Date('2026-12-02T10:00:30Z') }, now)).toBe(
      'becomes overdue now',
    );
    expect(describeNext(null, now)).toBeNull();
  });

  it('uses singular units and never a negative time', () => {
    expect(relativeTime(new Date('2026-12-03T10:00:00Z'), now)).toBe('in 1 day');
    expect(relativeTime(new Date('2026-12-01T10:00:00Z'), now)).toBe('now');
    fc.assert(
      fc.property(fc.integer({ min: -1e10, max: 1e10 }), (ms) => {
        expect(relativeTime(new Date(now.getTime() + ms), now)).toMatch(
          /^(now|in [1-9]\d* (day|hour|minute)s?)$/,
        );
      }),
    );
  });
});
