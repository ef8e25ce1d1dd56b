/**
 * The workspace compliance status (check-bulk-compliance): pure classification of what is
 * late against the thresholds in the workspace's settings.
 */
export const COMPLIANCE_STATUSES = ['COMPLIANT', 'AT_RISK', 'NON_COMPLIANT'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/** What the status is computed over. */
export const COMPLIANCE_CATEGORIES = [
  'overdue_trainings',
  'missing_required_certifications',
  'overdue_acknowledgements',
  'overdue_controls',
] as const;
export type ComplianceCategory = (typeof COMPLIANCE_CATEGORIES)[number];
export type ComplianceCounts = Record<ComplianceCategory, number>;

export interface Threshold {
  /** A category with at least this many items makes the workspace AT_RISK. */
  at_risk: number;
  /** A category with at least this many items makes it NON_COMPLIANT. */
  non_compliant: number;
}

/** `compliance_thresholds` in the workspace settings: a default and optional per-category ones. */
export interface ComplianceThresholds extends Threshold {
  categories?: Partial<Record<ComplianceCategory, Partial<Threshold>>>;
}

/** One late item puts a workspace at risk; five in any category make it non-compliant. */
export const DEFAULT_THRESHOLDS: ComplianceThresholds = { at_risk: 1, non_compliant: 5 };

const RANK: Record<ComplianceStatus, number> = { COMPLIANT: 0, AT_RISK: 1, NON_COMPLIANT: 2 };

export const thresholdFor = (t: ComplianceThresholds, c: ComplianceCategory): Threshold => ({
  at_risk: t.categories?.[c]?.at_risk ?? t.at_risk,
  non_compliant: t.categories?.[c]?.non_compliant ?? t.non_compliant,
});

/** The worst status any category reaches. */
export function classifyCompliance(counts: ComplianceCounts, t: ComplianceThresholds = DEFAULT_THRESHOLDS) {
  let worst: ComplianceStatus = 'COMPLIANT';
  for (const c of COMPLIANCE_CATEGORIES) {
    const n = counts[c];
    const th = thresholdFor(t, c);
    const s: ComplianceStatus =
      n >= th.non_compliant ? 'NON_COMPLIANT' : n >= th.at_risk ? 'AT_RISK' : 'COMPLIANT';
    if (RANK[s] > RANK[worst]) worst = s;
  }
  return worst;
}

/** The transition to record: none when the status is unchanged (a first check of a compliant workspace included). */
export function complianceTransition(before: ComplianceStatus | null, after: ComplianceStatus) {
  const from = before ?? 'COMPLIANT';
  return from === after ? null : { before: from, after };
}
