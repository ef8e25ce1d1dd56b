import fc from 'fast-check';
import {
  COMPLIANCE_CATEGORIES,
  type ComplianceCounts,
  classifyCompliance,
  complianceTransition,
  DEFAULT_THRESHOLDS,
} from './rules';

const none: ComplianceCounts = {
  overdue_trainings: 0,
  missing_required_certifications: 0,
  overdue_acknowledgements: 0,
  overdue_controls: 0,
};

describe('classifyCompliance', () => {
  it('is COMPLIANT with nothing late, AT_RISK from at_risk items, NON_COMPLIANT from non_compliant', () => {
    const t = { at_risk: 1, non_compliant: 3 };
    expect(classifyCompliance(none, t)).toBe('COMPLIANT');
    expect(classifyCompliance({ ...none, overdue_controls: 1 }, t)).toBe('AT_RISK');
    expect(classifyCompliance({ ...none, overdue_controls: 2 }, t)).toBe('AT_RISK');
    expect(classifyCompliance({ ...none, overdue_controls: 3 }, t)).toBe('NON_COMPLIANT');
  });

  it('takes the worst category, and per-category thresholds override the default', () => {
    const t = {
      at_risk: 2,
      non_compliant: 10,
      categories: { missing_required_certifications: { non_compliant: 1 } },
    };
    expect(classifyCompliance({ ...none, overdue_trainings: 1 }, t)).toBe('COMPLIANT');
    expect(classifyCompliance({ ...none, overdue_trainings: 2 }, t)).toBe('AT_RISK');
    expect(classifyCompliance({ ...none, overdue_trainings: 2, missing_required_certifications: 1 }, t)).toBe(
      'NON_COMPLIANT',
    );
  });

  it('property: more late items never improve the status', () => {
    const rank = { COMPLIANT: 0, AT_RISK: 1, NON_COMPLIANT: 2 };
    const counts = fc.record(
      Object.fromEntries(COMPLIANCE_CATEGORIES.map((c) => [c, fc.nat(20)])) as Record<
        keyof ComplianceCounts,
        fc.Arbitrary<number>
      >,
    );
    fc.assert(
      fc.property(
        counts,
        fc.constantFrom(...COMPLIANCE_CATEGORIES),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        (c, cat, atRisk, extra, more) => {
          const t = { at_risk: atRisk, non_compliant: atRisk + extra };
          const a = classifyCompliance(c, t);
          const b = classifyCompliance({ ...c, [cat]: c[cat] + more }, t);
          expect(rank[b]).toBeGreaterThanOrEqual(rank[a]);
          if (COMPLIANCE_CATEGORIES.every((k) => c[k] === 0)) expect(a).toBe('COMPLIANT');
        },
      ),
    );
  });
});

describe('complianceTransition', () => {
  it('reports a change only, a new workspace starting COMPLIANT', () => {
    expect(complianceTransition(null, 'COMPLIANT')).toBeNull();
    expect(complianceTransition('AT_RISK', 'AT_RISK')).toBeNull();
    expect(complianceTransition(null, 'AT_RISK')).toEqual({ before: 'COMPLIANT', after: 'AT_RISK' });
    expect(complianceTransition('NON_COMPLIANT', 'COMPLIANT')).toEqual({
      before: 'NON_COMPLIANT',
      after: 'COMPLIANT',
    });
    expect(DEFAULT_THRESHOLDS.at_risk).toBeLessThan(DEFAULT_THRESHOLDS.non_compliant);
  });
});
