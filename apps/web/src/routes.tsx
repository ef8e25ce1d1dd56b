import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { AccessRole, Session } from './api/auth';
import { OverviewPage } from './pages/Overview';

/** Which access roles may open an area; `all` is every signed-in member. */
export type Audience = 'all' | readonly AccessRole[];

export interface Area {
  /** Route path below `/` (`''` is the index). */
  path: string;
  /** The page component; lazily loaded except for the landing page. */
  page: ComponentType | LazyExoticComponent<ComponentType>;
  /** Who may open it; everyone else gets the "not allowed" page, and no navigation link. */
  audience: Audience;
  /** Its link in the main navigation, when it has one (`when`: only for sessions it is true of). */
  nav?: { label: string; order: number; when?: (s: Session) => boolean };
  /** Where a member outside the audience goes instead of the "not allowed" page (the landing page). */
  fallback?: string;
  /**
   * The limited sign-ins (a session's `purpose`) that may open it; a session opened from an
   * acknowledgement link opens only its acknowledgement page, and sees no navigation.
   */
  purposes?: ReadonlyArray<NonNullable<Session['purpose']>>;
}

/** `lazy` for a named export. */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const OFFICE: readonly AccessRole[] = ['ADMIN', 'APPROVER', 'MANAGER', 'AUDITOR'];
/** Who reads the workspace's reports (the overview's data): admins, managers and auditors. */
const REPORTS: readonly AccessRole[] = ['ADMIN', 'MANAGER', 'AUDITOR'];
/** Who reads every record (the audit log, evidence packs): admins and auditors. */
const READ_ALL: readonly AccessRole[] = ['ADMIN', 'AUDITOR'];

/**
 * Every page of the console, once: the router, the navigation and the "not allowed" page all read
 * this list. Pages other than the overview load on first visit (smaller first download).
 */
export const AREAS: readonly Area[] = [
  // A member or approver, who may not read the workspace's reports, lands on their obligations.
  { path: '', page: OverviewPage, audience: REPORTS, fallback: '/me', nav: { label: 'Overview', order: 0 } },
  {
    path: 'me',
    page: page(() => import('./pages/Inbox'), 'InboxPage'),
    audience: 'all',
    nav: { label: 'My obligations', order: 10 },
  },
  {
    path: 'team',
    page: page(() => import('./pages/MyTeam'), 'MyTeamPage'),
    audience: 'all',
    nav: { label: 'My team', order: 15, when: (s) => s.has_reports },
  },
  {
    path: 'training',
    page: page(() => import('./pages/Training'), 'TrainingPage'),
    audience: OFFICE,
    nav: { label: 'Training', order: 20 },
  },
  {
    path: 'policies',
    page: page(() => import('./pages/Policies'), 'PoliciesPage'),
    // Every member reads the policies that apply to them; writes follow the API's roles.
    audience: 'all',
    nav: { label: 'Policies', order: 30 },
  },
  { path: 'policies/:id', page: page(() => import('./pages/Policy'), 'PolicyPage'), audience: 'all' },
  {
    path: 'acknowledgements',
    page: page(() => import('./pages/Acknowledgements'), 'AcknowledgementsPage'),
    audience: OFFICE,
    nav: { label: 'Acknowledgements', order: 35 },
  },
  {
    path: 'escalation',
    page: page(() => import('./pages/Tickets'), 'TicketsPage'),
    audience: OFFICE,
    nav: { label: 'Escalation tickets', order: 40 },
  },
  {
    path: 'escalation/matrices',
    page: page(() => import('./pages/Matrices'), 'MatricesPage'),
    audience: OFFICE,
    nav: { label: 'Escalation matrices', order: 45 },
  },
  {
    path: 'escalation/tickets/:id',
    page: page(() => import('./pages/Ticket'), 'TicketPage'),
    audience: OFFICE,
  },
  {
    path: 'certifications',
    page: page(() => import('./pages/Certifications'), 'CertificationsPage'),
    audience: OFFICE,
    nav: { label: 'Certifications', order: 50 },
  },
  {
    path: 'reminders',
    page: page(() => import('./pages/Reminders'), 'RemindersPage'),
    audience: OFFICE,
    nav: { label: 'Reminders', order: 60 },
  },
  {
    path: 'questionnaires',
    page: page(() => import('./pages/Questionnaires'), 'QuestionnairesPage'),
    audience: OFFICE,
    nav: { label: 'Questionnaires', order: 64 },
  },
  {
    path: 'questionnaires/:id',
    page: page(() => import('./pages/Questionnaire'), 'QuestionnairePage'),
    audience: OFFICE,
  },
  {
    path: 'documents',
    page: page(() => import('./pages/Documents'), 'DocumentsPage'),
    audience: OFFICE,
    nav: { label: 'Documents', order: 66 },
  },
  {
    path: 'documents/:id',
    page: page(() => import('./pages/Document'), 'DocumentPage'),
    audience: OFFICE,
  },
  {
    path: 'people',
    page: page(() => import('./pages/People'), 'PeoplePage'),
    audience: OFFICE,
    nav: { label: 'People', order: 70 },
  },
  {
    path: 'people/teams',
    page: page(() => import('./pages/Teams'), 'TeamsPage'),
    audience: OFFICE,
    nav: { label: 'Teams and org roles', order: 72 },
  },
  {
    path: 'settings',
    page: page(() => import('./pages/Settings'), 'SettingsPage'),
    audience: OFFICE,
    nav: { label: 'Workspace settings', order: 80 },
  },
  {
    path: 'tokens',
    page: page(() => import('./pages/Tokens'), 'TokensPage'),
    audience: 'all',
    nav: { label: 'API tokens', order: 95 },
  },
  {
    path: 'reports',
    page: page(() => import('./pages/Reports'), 'ReportsPage'),
    audience: REPORTS,
    nav: { label: 'Reports', order: 84 },
  },
  {
    path: 'evidence-packs',
    page: page(() => import('./pages/EvidencePacks'), 'EvidencePacksPage'),
    audience: READ_ALL,
    nav: { label: 'Evidence packs', order: 86 },
  },
  {
    path: 'audit',
    page: page(() => import('./pages/Audit'), 'AuditPage'),
    audience: READ_ALL,
    nav: { label: 'Audit log', order: 90 },
  },
  {
    path: 'acknowledge/link-refused',
    page: page(() => import('./pages/LinkRefused'), 'LinkRefusedPage'),
    audience: 'all',
    purposes: ['acknowledge'],
  },
  {
    path: 'acknowledge/:obligationId',
    page: page(() => import('./pages/Acknowledge'), 'AcknowledgePage'),
    audience: 'all',
    purposes: ['acknowledge'],
  },
  {
    path: 'preferences',
    page: page(() => import('./pages/Preferences'), 'PreferencesPage'),
    audience: 'all',
    nav: { label: 'My preferences', order: 95 },
  },
  {
    path: 'account',
    page: page(() => import('./pages/Account'), 'AccountPage'),
    audience: 'all',
    nav: { label: 'My sessions', order: 100 },
  },
];

export const mayOpen = (area: Pick<Area, 'audience' | 'purposes'>, session: Session) =>
  session.purpose
    ? (area.purposes?.includes(session.purpose) ?? false)
    : area.audience === 'all' || area.audience.includes(session.access_role);

/** The navigation links the member's role may use (and that apply to them), in order. */
export const navFor = (session: Session) =>
  AREAS.filter((a) => a.nav && mayOpen(a, session) && (a.nav.when?.(session) ?? true))
    .map((a) => ({ to: `/${a.path}`, label: a.nav?.label ?? '', order: a.nav?.order ?? 0 }))
    .sort((a, b) => a.order - b.order);
