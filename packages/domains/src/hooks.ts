import type { AuthContext } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import type { Executor } from './db';

/**
 * Cross-domain reactions to people changes, wired by the composition root
 * (registry.ts), run inside the same transaction as the change that caused them.
 */
export type MemberHook = (tx: Executor, ctx: AuthContext, fx: Effects, memberId: string) => Promise<void>;

/** One thing offboarding a member would change, as the offboarding preview lists it. */
export interface OffboardChange {
  /** The domain that owns the item (people, reminders, policies). */
  area: string;
  target_type: string;
  target_id: string;
  /** What the item is, for a person: a reminder's title, a control id, a policy name. */
  label: string;
  /** REASSIGN: goes to `to_member_id`; CLEAR: the slot is emptied; CANCEL / REVOKE: ends; STAYS: not changed, review by hand. */
  action: 'REASSIGN' | 'CLEAR' | 'CANCEL' | 'REVOKE' | 'STAYS';
  to_member_id: string | null;
  detail: string | null;
}

/** Read-only: what the domain's memberOffboarded hook would do for this member now. */
export type OffboardPreviewHook = (
  db: Executor,
  workspaceId: string,
  memberId: string,
) => Promise<OffboardChange[]>;

export interface PeopleHooks {
  /** A member was created, or their teams or roles changed (new scope for trainings and policies). */
  memberScopeChanged: MemberHook[];
  /** A member left: cancel, reassign, revoke. */
  memberOffboarded: MemberHook[];
  /** What memberOffboarded would change, without changing it (the offboarding preview). */
  offboardPreview: OffboardPreviewHook[];
}

export const peopleHooks: PeopleHooks = {
  memberScopeChanged: [],
  memberOffboarded: [],
  offboardPreview: [],
};

export async function runMemberHooks(
  list: MemberHook[],
  tx: Executor,
  ctx: AuthContext,
  fx: Effects,
  memberId: string,
): Promise<void> {
  for (const hook of list) await hook(tx, ctx, fx, memberId);
}
