import type { AuthContext } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import type { Executor } from './db';

/**
 * Cross-domain reactions to people changes, wired by the composition root
 * (registry.ts), run inside the same transaction as the change that caused them.
 */
export type MemberHook = (tx: Executor, ctx: AuthContext, fx: Effects, memberId: string) => Promise<void>;

export interface PeopleHooks {
  /** A member was created, or their teams or roles changed (new scope for trainings and policies). */
  memberScopeChanged: MemberHook[];
  /** A member left: cancel, reassign, revoke. */
  memberOffboarded: MemberHook[];
}

export const peopleHooks: PeopleHooks = { memberScopeChanged: [], memberOffboarded: [] };

export async function runMemberHooks(
  list: MemberHook[],
  tx: Executor,
  ctx: AuthContext,
  fx: Effects,
  memberId: string,
): Promise<void> {
  for (const hook of list) await hook(tx, ctx, fx, memberId);
}
