import { Forbidden } from './errors';

export const ACCESS_ROLES = ['ADMIN', 'APPROVER', 'MANAGER', 'MEMBER', 'AUDITOR'] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

/** Who is calling: resolved from the bearer token or the session cookie (or a Slack user, or a signed link). */
export interface AuthContext {
  workspaceId: string;
  memberId: string;
  role: AccessRole;
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  via: 'TOKEN' | 'SLACK' | 'LINK' | 'SESSION' | 'SYSTEM';
  /** The browser session the request came with (`via: 'SESSION'`). */
  sessionId?: string | null;
  /**
   * A session opened by an emailed acknowledgement link: it may only read and acknowledge the
   * policies of these acknowledgement obligations (auth/purpose.ts restricts the routes).
   */
  purpose?: { kind: 'acknowledge'; obligationIds: string[] } | null;
}

/** Every role except the read-only auditor. */
export const WRITERS: readonly AccessRole[] = ['ADMIN', 'APPROVER', 'MANAGER', 'MEMBER'];
export const ADMINS: readonly AccessRole[] = ['ADMIN'];
export const MANAGERS: readonly AccessRole[] = ['ADMIN', 'MANAGER'];
export const READ_ALL: readonly AccessRole[] = ['ADMIN', 'AUDITOR'];

export function requireRole(ctx: AuthContext, roles: readonly AccessRole[]): void {
  if (!roles.includes(ctx.role))
    throw new Forbidden(`Role ${ctx.role} may not do this; allowed: ${roles.join(', ')}`);
}

/**
 * Roles that read every member's items (assignments, certifications, reminder instances,
 * acknowledgements, notifications). Every other role (MANAGER, MEMBER) reads its own items and
 * those of the people it manages or leads: see `packages/domains/src/people/visibility.ts`.
 */
export const READ_EVERYONES_ITEMS: readonly AccessRole[] = ['ADMIN', 'APPROVER', 'AUDITOR'];

/** True when the caller reads every member's items (no scoping by the org chart). */
export function seesEverything(ctx: AuthContext): boolean {
  return READ_EVERYONES_ITEMS.includes(ctx.role);
}

/** Members act only on their own items; admins (and managers, where a rule allows) act for others. */
export function requireSelfOr(
  ctx: AuthContext,
  ownerId: string | null,
  roles: readonly AccessRole[] = ADMINS,
): void {
  if (ownerId === ctx.memberId && ctx.role !== 'AUDITOR') return;
  if (roles.includes(ctx.role)) return;
  throw new Forbidden('You may act only on your own items');
}

export function systemContext(workspaceId: string): AuthContext {
  return {
    workspaceId,
    memberId: '00000000-0000-0000-0000-000000000000',
    role: 'ADMIN',
    tokenId: null,
    ip: null,
    userAgent: null,
    via: 'SYSTEM',
  };
}
