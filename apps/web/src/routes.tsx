import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { AccessRole } from './api/auth';
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
  /** Its link in the main navigation, when it has one. */
  nav?: { label: string; order: number };
}

/** `lazy` for a named export. */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const OFFICE: readonly AccessRole[] = ['ADMIN', 'APPROVER', 'MANAGER', 'AUDITOR'];

/**
 * Every page of the console, once: the router, the navigation and the "not allowed" page all read
 * this list. Pages other than the overview load on first visit (smaller first download).
 */
export const AREAS: readonly Area[] = [
  { path: '', page: OverviewPage, audience: 'all', nav: { label: 'Overview', order: 0 } },
  {
    path: 'me',
    page: page(() => import('./pages/Inbox'), 'InboxPage'),
    audience: 'all',
    nav: { label: 'My obligations', order: 10 },
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
    audience: OFFICE,
    nav: { label: 'Policies', order: 30 },
  },
  { path: 'policies/:id', page: page(() => import('./pages/Policy'), 'PolicyPage'), audience: OFFICE },
  {
    path: 'escalation',
    page: page(() => import('./pages/Tickets'), 'TicketsPage'),
    audience: OFFICE,
    nav: { label: 'Escalation tickets', order: 40 },
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
    path: 'audit',
    page: page(() => import('./pages/Audit'), 'AuditPage'),
    audience: ['ADMIN', 'AUDITOR'],
    nav: { label: 'Audit log', order: 90 },
  },
  {
    path: 'acknowledge/link-refused',
    page: page(() => import('./pages/LinkRefused'), 'LinkRefusedPage'),
    audience: 'all',
  },
  {
    path: 'acknowledge/:obligationId',
    page: page(() => import('./pages/Acknowledge'), 'AcknowledgePage'),
    audience: 'all',
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

export const mayOpen = (area: Pick<Area, 'audience'>, role: AccessRole) =>
  area.audience === 'all' || area.audience.includes(role);

/** The navigation links the role may use, in order. */
export const navFor = (role: AccessRole) =>
  AREAS.filter((a) => a.nav && mayOpen(a, role))
    .map((a) => ({ to: `/${a.path}`, label: a.nav?.label ?? '', order: a.nav?.order ?? 0 }))
    .sort((a, b) => a.order - b.order);
