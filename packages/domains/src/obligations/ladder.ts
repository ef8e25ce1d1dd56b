import { type AuthContext, seesEverything } from '@vigil/kernel/auth';
import { type Config, temporalUiUrl } from '@vigil/kernel/config';
import { NotFound } from '@vigil/kernel/errors';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Executor } from '../db';
import { loadOrgFor } from '../escalation/org';
import { resolveTargets } from '../escalation/rules';
import { escalations } from '../escalation/schema';
import { members } from '../people/schema';
import { canReadMember } from '../people/visibility';
import { registeredKinds } from './kinds';
import { formatDurationMs, type Level, planSteps, type Target } from './rules';
import { loadObligation, viewOf, workflowIdFor } from './service';

/**
 * One level of an obligation's ladder as the engine plans it: FIRED (when, whom it notified,
 * acknowledged or not), PENDING (when it will fire unless the obligation is done or
 * acknowledged, and whom it would notify today) or STOPPED (it will not fire: the obligation is
 * finished or its escalation acknowledged).
 */
export interface LadderRung {
  level: Level;
  after: string;
  target: Target;
  channels: string[];
  at: string | null;
  state: 'FIRED' | 'PENDING' | 'STOPPED';
  fired_at: string | null;
  acknowledged: boolean;
  notified: string[];
}

export interface ObligationLadder {
  kind: string;
  id: string;
  title: string;
  status: string;
  terminal: boolean;
  owner_id: string | null;
  owner_name: string | null;
  due_at: string | null;
  clock: 'DUE' | 'OPENED';
  current_level: Level | null;
  escalation_acknowledged: boolean;
  next_step: { action: string; level: Level | null; at: string } | null;
  levels: LadderRung[];
  workflow: { id: string; namespace: string; url: string };
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** The Web UI page of a workflow (its latest run). */
export const workflowUrl = (
  config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_UI_PORT'>,
  ns: string,
  id: string,
) => `${temporalUiUrl(config)}/namespaces/${encodeURIComponent(ns)}/workflows/${encodeURIComponent(id)}`;

/**
 * An obligation's ladder with each level's target, time and state, and its workflow in the
 * Temporal Web UI. Readable by whoever reads the owner's items (people/visibility.ts); an item
 * without an owner (a team's reminder instance) by those who read everyone's. Anything else,
 * or another workspace's id, is 404.
 */
export async function obligationLadder(
  deps: { db: Db; config: Config },
  ctx: AuthContext,
  kind: string,
  id: string,
  now = new Date(),
): Promise<ObligationLadder> {
  if (!registeredKinds().some((k) => k.kind === kind)) throw new NotFound('Obligation kind', kind);
  // One snapshot: the row's steps and its fired escalations are read as of the same commit.
  return deps.db.transaction((db) => ladderIn(db, deps.config, ctx, kind, id, now), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

async function ladderIn(
  db: Executor,
  config: Config,
  ctx: AuthContext,
  kind: string,
  id: string,
  now: Date,
): Promise<ObligationLadder> {
  const loaded = await loadObligation(db, kind, id, false);
  const s = loaded?.state;
  const readable =
    s &&
    s.workspaceId === ctx.workspaceId &&
    (s.ownerId ? await canReadMember(db, ctx, s.ownerId) : seesEverything(ctx));
  if (!loaded || !s || !readable) throw new NotFound('Obligation', id);
  const view = viewOf(kind, id, loaded, now);
  const fired = await db
    .select()
    .from(escalations)
    .where(and(eq(escalations.kind, kind), eq(escalations.obligationId, id)));
  const planned = new Map(
    planSteps(s).flatMap((c) => (c.level && c.action === 'ESCALATE' ? [[c.level, c.at]] : [])),
  );
  const pending = await Promise.all(
    s.ladder.map(async (rung) => {
      if (fired.some((f) => f.level === rung.level)) return [] as string[];
      const ownerTeamId = loaded.ownerTeamId ?? null;
      const org = await loadOrgFor(db, s.workspaceId, {
        ownerId: s.ownerId,
        ownerTeamId,
        target: rung.target,
      });
      return resolveTargets(rung.target, s.ownerId, org, ownerTeamId);
    }),
  );
  const ids = [
    ...new Set([
      ...(s.ownerId ? [s.ownerId] : []),
      ...pending.flat(),
      ...fired.flatMap((f) => (f.targetMemberIds as string[] | null) ?? []),
    ]),
  ];
  const names = new Map(
    ids.length
      ? (
          await db
            .select({ id: members.id, name: members.name })
            .from(members)
            .where(inArray(members.id, ids))
        ).map((m) => [m.id, m.name] as const)
      : [],
  );
  const named = (list: string[]) => list.map((m) => names.get(m) ?? m);
  const stopped = s.terminal || s.escalationAcknowledged;
  const levels: LadderRung[] = s.ladder.map((rung, i) => {
    const f = fired.find((x) => x.level === rung.level);
    return {
      level: rung.level,
      after: formatDurationMs(rung.afterMs),
      target: rung.target,
      channels: rung.channels,
      at: iso(planned.get(rung.level)?.getTime()),
      state: f ? 'FIRED' : stopped ? 'STOPPED' : 'PENDING',
      fired_at: f ? f.firedAt.toISOString() : null,
      acknowledged: f ? f.acknowledgedAt !== null : false,
      notified: named(f ? ((f.targetMemberIds as string[] | null) ?? []) : (pending[i] ?? [])),
    };
  });
  const namespace = config.TEMPORAL_NAMESPACE;
  const workflowId = workflowIdFor(kind, id);
  return {
    kind,
    id,
    title: loaded.title,
    status: s.status,
    terminal: s.terminal,
    owner_id: s.ownerId,
    owner_name: s.ownerId ? (names.get(s.ownerId) ?? null) : null,
    due_at: iso(s.dueAt?.getTime()),
    clock: s.escalateFrom,
    current_level: view.escalationLevel ?? null,
    escalation_acknowledged: s.escalationAcknowledged,
    next_step:
      view.next.type === 'STEP' && view.next.at !== undefined
        ? {
            action: view.next.action ?? '',
            level: view.next.level ?? null,
            at: new Date(view.next.at).toISOString(),
          }
        : null,
    levels,
    workflow: { id: workflowId, namespace, url: workflowUrl(config, namespace, workflowId) },
  };
}
