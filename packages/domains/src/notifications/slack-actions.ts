import type { AccessRole, AuthContext } from '@vigil/kernel/auth';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../deps';
import { withEffects } from '../deps';
import { kindAdapter } from '../obligations/kinds';
import { members } from '../people/schema';
import type { SlackAction } from './slack';

/** Slack identities and button clicks, run through the same service calls as the HTTP API. */
export function slackHandlers(deps: AppDeps) {
  return {
    async resolveMember(slackUserId: string): Promise<AuthContext | null> {
      const [m] = await deps.db
        .select()
        .from(members)
        .where(and(eq(members.slackUserId, slackUserId), eq(members.status, 'ACTIVE')))
        .limit(1);
      if (!m) return null;
      return {
        workspaceId: m.workspaceId,
        memberId: m.id,
        role: m.accessRole as AccessRole,
        tokenId: null,
        ip: null,
        userAgent: 'slack',
        via: 'SLACK',
      };
    },
    async onAction(action: SlackAction, ctx: AuthContext): Promise<void> {
      const adapter = kindAdapter(action.kind);
      if (!adapter.act) throw new Error(`${action.kind} has no Slack actions`);
      const act = adapter.act;
      await withEffects(deps, (fx) => act(deps, ctx, fx, action.id, action.type));
    },
  };
}
