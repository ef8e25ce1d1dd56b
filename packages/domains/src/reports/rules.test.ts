import fc from 'fast-check';
import { round1 } from '../percent';
import {
  byStatus,
  classify,
  complianceScore,
  DAY_MS,
  daysOverdue,
  daysUntil,
  developerSummary,
  isAckOverdue,
  isAssignmentOverdue,
  isDueWithin,
  isInstanceOverdue,
} from './rules';

const now = new Date('2026-06-15T12:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * DAY_MS);
const none = {
  overdueItems: 0,
  expiredRequired: 0,
  missingRequired: 0,
  dueSoonItems: 0,
  expiringSoonCerts: 0,
};

describe('rates and score', () => {
  it('the compliance score is the mean of the available rates; 100 with none', () => {
    expect(complianceScore([50, null, 100, null])).toBe(75);
    expect(complianceScore([100, 0, 50])).toBe(50);
    expect(complianceScore([33.3, 66.7])).toBe(50);
    expect(complianceScore([33.3, 20, 50, 50])).toBe(38.3);
    expect(complianceScore([null, null])).toBe(100);
    expect(complianceScore([])).toBe(100);
  });
  it('the score lies between the lowest and highest rate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (rs) => {
          const s = complianceScore(rs);
          return s >= round1(Math.min(...rs)) - 0.1 && s <= round1(Math.max(...rs)) + 0.1;
        },
      ),
    );
  });
});

describe('days', () => {
  it('daysUntil is ceil of the remaining days, negative once past', () => {
    expect(daysUntil(inDays(3), now)).toBe(3);
    expect(daysUntil(inDays(2.5), now)).toBe(3);
    expect(daysUntil(inDays(-2.5), now)).toBe(-2);
    expect(daysUntil(null, now)).toBeNull();
  });
  it('daysOverdue counts whole days passed and is never negative', () => {
    expect(daysOverdue(inDays(-10), now)).toBe(10);
    expect(daysOverdue(inDays(-0.5), now)).toBe(0);
    expect(daysOverdue(inDays(-1.5), now)).toBe(1);
    expect(daysOverdue(inDays(4), now)).toBe(0);
  });
  it('isDueWithin is strictly ahead and within the window', () => {
    expect(isDueWithin(inDays(3), now, 7)).toBe(true);
    expect(isDueWithin(inDays(7), now, 7)).toBe(true);
    expect(isDueWithin(inDays(8), now, 7)).toBe(false);
    expect(isDueWithin(inDays(-1), now, 7)).toBe(false);
  });
});

describe('overdue rules (acknowledged is not completed)', () => {
  it('assignments', () => {
    expect(isAssignmentOverdue('PENDING', inDays(-1), now)).toBe(true);
    expect(isAssignmentOverdue('IN_PROGRESS', inDays(-1), now)).toBe(true);
    expect(isAssignmentOverdue('OVERDUE', inDays(5), now)).toBe(true);
    expect(isAssignmentOverdue('PENDING', inDays(1), now)).toBe(false);
    expect(isAssignmentOverdue('COMPLETED', inDays(-1), now)).toBe(false);
    expect(isAssignmentOverdue('WAIVED', inDays(-1), now)).toBe(false);
  });
  it('reminder instances: ACKNOWLEDGED past due stays overdue', () => {
    expect(isInstanceOverdue('ACKNOWLEDGED', inDays(-1), now)).toBe(true);
    expect(isInstanceOverdue('ESCALATED', inDays(1), now)).toBe(true);
    expect(isInstanceOverdue('PENDING', inDays(1), now)).toBe(false);
    expect(isInstanceOverdue('COMPLETED', inDays(-1), now)).toBe(false);
    expect(isInstanceOverdue('SKIPPED', inDays(-1), now)).toBe(false);
  });
  it('acknowledgement requests', () => {
    expect(isAckOverdue('OVERDUE', inDays(1), now)).toBe(true);
    expect(isAckOverdue('PENDING', inDays(-1), now)).toBe(true);
    expect(isAckOverdue('PENDING', inDays(1), now)).toBe(false);
    expect(isAckOverdue('ACKNOWLEDGED', inDays(-1), now)).toBe(false);
    expect(isAckOverdue('CANCELLED', inDays(-1), now)).toBe(false);
  });
});

describe('byStatus', () => {
  it('fills every status, ignores unknown ones', () => {
    expect(
      byStatus(['A', 'B', 'C'] as const, [
        { status: 'A', n: 2 },
        { status: 'X', n: 9 },
      ]),
    ).toEqual({ A: 2, B: 0, C: 0 });
  });
});

describe('classify', () => {
  it('COMPLIANT with nothing outstanding', () => {
    expect(classify(none)).toBe('COMPLIANT');
  });
  it('AT_RISK when something is due or expiring within 7 days', () => {
    expect(classify({ ...none, dueSoonItems: 1 })).toBe('AT_RISK');
    expect(classify({ ...none, expiringSoonCerts: 2 })).toBe('AT_RISK');
  });
  it('NON_COMPLIANT when anything is overdue, expired-required or missing-required', () => {
    expect(classify({ ...none, overdueItems: 1, dueSoonItems: 3 })).toBe('NON_COMPLIANT');
    expect(classify({ ...none, expiredRequired: 1 })).toBe('NON_COMPLIANT');
    expect(classify({ ...none, missingRequired: 1, expiringSoonCerts: 1 })).toBe('NON_COMPLIANT');
  });
  it('NON_COMPLIANT dominates: any positive blocking fact decides', () => {
    fc.assert(
      fc.property(
        fc.record({
          overdueItems: fc.nat(3),
          expiredRequired: fc.nat(3),
          missingRequired: fc.nat(3),
          dueSoonItems: fc.nat(3),
          expiringSoonCerts: fc.nat(3),
        }),
        (f) => {
          const blocking = f.overdueItems + f.expiredRequired + f.missingRequired > 0;
          const risk = f.dueSoonItems + f.expiringSoonCerts > 0;
          const want = blocking ? 'NON_COMPLIANT' : risk ? 'AT_RISK' : 'COMPLIANT';
          return classify(f) === want;
        },
      ),
    );
  });
});

describe('developerSummary', () => {
  const empty = { assignments: [], certifications: [], required: [], reminders: [], acks: [] };
  const req = [{ id: 'c1', name: 'Cloud security' }];

  it('an empty record is COMPLIANT and fully acknowledged', () => {
    expect(developerSummary(empty, now)).toEqual({
      status: 'COMPLIANT',
      missingRequired: [],
      acknowledgements: { pending: 0, acknowledged: 0, overdue: 0, fully_acknowledged: true },
    });
  });
  it('a required certification never held is NOT_HELD; held but lapsed is EXPIRED; revoked-only is NOT_HELD', () => {
    expect(developerSummary({ ...empty, required: req }, now).missingRequired).toEqual([
      { certification_id: 'c1', name: 'Cloud security', reason: 'NOT_HELD' },
    ]);
    const lapsed = developerSummary(
      {
        ...empty,
        required: req,
        certifications: [{ certificationId: 'c1', status: 'ACTIVE', expiry: inDays(-1) }],
      },
      now,
    );
    expect(lapsed).toMatchObject({ status: 'NON_COMPLIANT', missingRequired: [{ reason: 'EXPIRED' }] });
    const revoked = developerSummary(
      {
        ...empty,
        required: req,
        certifications: [{ certificationId: 'c1', status: 'REVOKED', expiry: inDays(90) }],
      },
      now,
    );
    expect(revoked.missingRequired[0]?.reason).toBe('NOT_HELD');
  });
  it('a renewed copy covers an expired one', () => {
    const s = developerSummary(
      {
        ...empty,
        required: req,
        certifications: [
          { certificationId: 'c1', status: 'EXPIRED', expiry: inDays(-30) },
          { certificationId: 'c1', status: 'ACTIVE', expiry: inDays(300) },
        ],
      },
      now,
    );
    expect(s).toMatchObject({ status: 'COMPLIANT', missingRequired: [] });
  });
  it('AT_RISK for an item due, or a certification expiring, within 7 days', () => {
    expect(
      developerSummary({ ...empty, assignments: [{ status: 'IN_PROGRESS', due: inDays(6) }] }, now).status,
    ).toBe('AT_RISK');
    expect(
      developerSummary(
        { ...empty, certifications: [{ certificationId: 'x', status: 'ACTIVE', expiry: inDays(2) }] },
        now,
      ).status,
    ).toBe('AT_RISK');
    expect(
      developerSummary({ ...empty, assignments: [{ status: 'PENDING', due: inDays(8) }] }, now).status,
    ).toBe('COMPLIANT');
    expect(
      developerSummary({ ...empty, assignments: [{ status: 'COMPLETED', due: inDays(2) }] }, now).status,
    ).toBe('COMPLIANT');
  });
  it('an acknowledged but past-due reminder instance, or an overdue acknowledgement, is NON_COMPLIANT', () => {
    expect(
      developerSummary({ ...empty, reminders: [{ status: 'ACKNOWLEDGED', due: inDays(-1) }] }, now).status,
    ).toBe('NON_COMPLIANT');
    const a = developerSummary(
      {
        ...empty,
        acks: [
          { status: 'OVERDUE', due: inDays(-2) },
          { status: 'ACKNOWLEDGED', due: inDays(-9) },
        ],
      },
      now,
    );
    expect(a).toMatchObject({
      status: 'NON_COMPLIANT',
      acknowledgements: { pending: 1, acknowledged: 1, overdue: 1, fully_acknowledged: false },
    });
  });
});
