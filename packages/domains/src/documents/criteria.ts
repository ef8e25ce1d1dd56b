// The SOC 2 Trust Services Criteria (AICPA TSC 2017, revised points of focus 2022) that a
// document's text is matched against, with the phrases that indicate each. Pure data; the
// matching lives in rules.ts (detectCriteria). A phrase matches whole words, case-insensitively,
// its last word also with a plural "s"/"es". `weak` phrases are common words that only count
// half: a criterion is detected at a score of 2 (two weak phrases, one strong phrase, or an
// explicit reference such as "CC6.1").

export const TRUST_SERVICES_CATEGORIES = [
  'SECURITY',
  'AVAILABILITY',
  'CONFIDENTIALITY',
  'PROCESSING_INTEGRITY',
  'PRIVACY',
] as const;
export type TrustServicesCategory = (typeof TRUST_SERVICES_CATEGORIES)[number];

export interface CriterionRule {
  id: string;
  name: string;
  category: TrustServicesCategory;
  phrases: readonly string[];
  weak?: readonly string[];
}

export const CRITERIA: readonly CriterionRule[] = [
  {
    id: 'CC1',
    name: 'Control Environment',
    category: 'SECURITY',
    phrases: [
      'code of conduct',
      'ethical values',
      'board of directors',
      'organizational structure',
      'background check',
      'disciplinary action',
      'tone at the top',
      'commitment to integrity',
    ],
    weak: ['ethics', 'integrity', 'hiring', 'oversight', 'accountability'],
  },
  {
    id: 'CC2',
    name: 'Communication and Information',
    category: 'SECURITY',
    phrases: [
      'security awareness',
      'internal communication',
      'external communication',
      'whistleblower',
      'system description',
      'communication of policies',
    ],
    weak: ['communication', 'awareness', 'newsletter'],
  },
  {
    id: 'CC3',
    name: 'Risk Assessment',
    category: 'SECURITY',
    phrases: [
      'risk assessment',
      'risk register',
      'fraud risk',
      'risk analysis',
      'threat model',
      'risk appetite',
    ],
    weak: ['risk', 'threat', 'likelihood'],
  },
  {
    id: 'CC4',
    name: 'Monitoring Activities',
    category: 'SECURITY',
    phrases: [
      'internal audit',
      'control testing',
      'continuous monitoring',
      'control deficiency',
      'monitoring activity',
      'management review',
    ],
    weak: ['audit', 'deficiency', 'assessment'],
  },
  {
    id: 'CC5',
    name: 'Control Activities',
    category: 'SECURITY',
    phrases: ['control activity', 'segregation of duties', 'separation of duties', 'policies and procedures'],
    weak: ['procedure', 'policy'],
  },
  {
    id: 'CC6',
    name: 'Logical and Physical Access Controls',
    category: 'SECURITY',
    phrases: [
      'access control',
      'access review',
      'least privilege',
      'multi factor authentication',
      'multifactor authentication',
      'role based access',
      'user provisioning',
      'deprovisioning',
      'physical access',
      'encryption at rest',
      'encryption in transit',
      'single sign on',
      'privileged access',
    ],
    weak: ['password', 'mfa', 'authentication', 'encryption', 'firewall', 'badge', 'sso', 'access'],
  },
  {
    id: 'CC7',
    name: 'System Operations',
    category: 'SECURITY',
    phrases: [
      'incident response',
      'security incident',
      'vulnerability scan',
      'vulnerability management',
      'penetration test',
      'intrusion detection',
      'security event',
      'log monitoring',
      'root cause analysis',
    ],
    weak: ['incident', 'vulnerability', 'malware', 'siem', 'alerting', 'logging'],
  },
  {
    id: 'CC8',
    name: 'Change Management',
    category: 'SECURITY',
    phrases: [
      'change management',
      'change request',
      'code review',
      'pull request',
      'change approval',
      'configuration management',
      'release management',
    ],
    weak: ['deployment', 'release', 'rollback'],
  },
  {
    id: 'CC9',
    name: 'Risk Mitigation',
    category: 'SECURITY',
    phrases: [
      'vendor management',
      'vendor risk',
      'third party risk',
      'business disruption',
      'cyber insurance',
      'subservice organization',
      'supplier assessment',
    ],
    weak: ['vendor', 'supplier', 'insurance', 'mitigation'],
  },
  {
    id: 'A1',
    name: 'Availability',
    category: 'AVAILABILITY',
    phrases: [
      'disaster recovery',
      'business continuity',
      'capacity planning',
      'recovery time objective',
      'recovery point objective',
      'backup restoration',
      'restore test',
      'high availability',
    ],
    weak: ['backup', 'availability', 'uptime', 'failover', 'redundancy', 'rto', 'rpo'],
  },
  {
    id: 'C1',
    name: 'Confidentiality',
    category: 'CONFIDENTIALITY',
    phrases: [
      'confidential information',
      'data classification',
      'non disclosure agreement',
      'secure disposal',
      'data destruction',
      'data retention',
    ],
    weak: ['confidential', 'confidentiality', 'nda', 'classification'],
  },
  {
    id: 'PI1',
    name: 'Processing Integrity',
    category: 'PROCESSING_INTEGRITY',
    phrases: [
      'processing integrity',
      'input validation',
      'data validation',
      'quality assurance',
      'completeness and accuracy',
      'error handling',
      'output reconciliation',
    ],
    weak: ['reconciliation', 'accuracy', 'completeness'],
  },
  {
    id: 'P1',
    name: 'Privacy: Notice',
    category: 'PRIVACY',
    phrases: ['privacy notice', 'privacy policy', 'privacy statement'],
    weak: ['privacy'],
  },
  {
    id: 'P2',
    name: 'Privacy: Choice and Consent',
    category: 'PRIVACY',
    phrases: ['explicit consent', 'consent management', 'opt out', 'opt in', 'withdraw consent'],
    weak: ['consent'],
  },
  {
    id: 'P3',
    name: 'Privacy: Collection',
    category: 'PRIVACY',
    phrases: ['collection of personal information', 'data minimization', 'personal data collected'],
    weak: ['personal data', 'personal information'],
  },
  {
    id: 'P4',
    name: 'Privacy: Use, Retention and Disposal',
    category: 'PRIVACY',
    phrases: ['purpose limitation', 'retention of personal', 'disposal of personal', 'retention schedule'],
    weak: ['retention', 'disposal'],
  },
  {
    id: 'P5',
    name: 'Privacy: Access',
    category: 'PRIVACY',
    phrases: ['data subject access', 'subject access request', 'right of access', 'right to rectification'],
    weak: ['dsar', 'data subject'],
  },
  {
    id: 'P6',
    name: 'Privacy: Disclosure and Notification',
    category: 'PRIVACY',
    phrases: ['breach notification', 'disclosure to third parties', 'notification of breach', 'data breach'],
    weak: ['disclosure', 'breach'],
  },
  {
    id: 'P7',
    name: 'Privacy: Quality',
    category: 'PRIVACY',
    phrases: ['accurate personal information', 'data quality', 'quality of personal'],
  },
  {
    id: 'P8',
    name: 'Privacy: Monitoring and Enforcement',
    category: 'PRIVACY',
    phrases: ['privacy complaint', 'privacy inquiry', 'privacy compliance', 'dispute resolution'],
  },
];

export const CRITERION_IDS: readonly string[] = CRITERIA.map((c) => c.id);
