import type { AuthContext } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import {
  type AnyColumn,
  and,
  asc,
  eq,
  getTableName,
  gt,
  inArray,
  isNotNull,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { AuditAction } from '../audit/rules';
import type { AuditEntry } from '../audit/service';
import type { Executor } from '../db';
import type { AppDeps } from '../deps';
import { escalations } from '../escalation/schema';
import type { Checkpoint, Level, ObligationKind, ObligationState } from './rules';
import { obligationSteps } from './schema';

/** A snapshot of one obligation, as its kind's adapter reads it from Postgres. */
export interface LoadedObligation {
  state: ObligationState;
  /** Human-readable name used in messages and in the Temporal Web UI. */
  title: string;
  /** The team whose lead is the L1 target, when the kind knows it. */
  ownerTeamId?: string | null;
  /** Readable current details shown as the workflow's memo and returned by the `state` query. */
  details: Record<string, unknown>;
  /** Channels the owner's messages go by, when the entity configures them (default email and Slack). */
  channels?: Array<'email' | 'slack' | 'log'>;
  /** The owner's name and the escalations fired, when the load read them (presentation.ts peopleColumns). */
  people?: { ownerName: string | null; escalations: FiredEscalation[] };
}

/** An escalation fired, as operators read it: when, whom it notified (names), whether acknowledged. */
export interface FiredEscalation {
  level: string;
  firedAt: number;
  notified: string[];
  acknowledged: boolean;
}

/** A message to enqueue for the owner (or others) when a step is applied. */
export interface StepMessage {
  recipientIds: string[];
  template: 'obligation.reminder' | 'obligation.overdue' | 'obligation.escalation' | 'obligation.expiring';
  data: Record<string, unknown>;
  /** Secrets the data refers to by placeholder (a one-time link's token), for the delivery alone. */
  secrets?: Record<string, string>;
}

/** What a step may need from the deployment: the API's public URL for links in messages. */
export interface StepEnvironment {
  publicUrl: string;
}

export interface AppliedStep {
  audit: AuditEntry[];
  messages: StepMessage[];
  /**
   * What the step changed of the loaded obligation, when the kind knows it (a new status,
   * changed details): the engine then plans the next step from it without reading the
   * row again. Without it the engine re-reads the obligation after the step.
   */
  after?: { status?: string; details?: Record<string, unknown> };
}

/**
 * What each obligation kind supplies to the engine: how to read its state
 * (optionally locking the row) and how a step changes it. The engine owns the
 * rest: step idempotency, escalation records, target resolution and the outbox.
 */
export interface KindAdapter {
  kind: ObligationKind;
  load(db: Executor, id: string, opts: { lock: boolean }): Promise<LoadedObligation | null>;
  /** The same snapshots for many ids in a few set-based reads (used when starting workflows in bulk). */
  loadMany?(db: Executor, ids: string[]): Promise<Map<string, LoadedObligation>>;
  /** Applies the step's status change in the caller's transaction. */
  apply(
    tx: Executor,
    loaded: LoadedObligation,
    step: Checkpoint,
    now: Date,
    env: StepEnvironment,
  ): Promise<AppliedStep>;
  /**
   * The UPDATE that records the level reached on the entity (e.g. current_escalation_level),
   * built and not run: the engine runs it in one statement with the escalation's insert.
   */
  escalatedUpdate?(tx: Executor, loaded: LoadedObligation, level: Level, now: Date): { getSQL(): SQL };
  /** Runs a channel action (Slack buttons) through the same service call as the HTTP API. */
  act?(deps: AppDeps, ctx: AuthContext, fx: Effects, id: string, action: ObligationAction): Promise<void>;
  /** Open items per owner (the daily digest), of one owner (their inbox), or of a set of owners (a team). */
  openItems?(db: Executor, workspaceId: string, owner?: Owners): Promise<OpenItem[]>;
  /** Ids of this kind's obligations that are not terminal, for the reconcile sweep. */
  openIds?(
    db: Executor,
    workspaceId: string | null,
    limit: number,
    afterId: string | null,
  ): Promise<Array<{ id: string; workspaceId: string }>>;
}

/** One owner's id, or a subquery of owner ids (`(SELECT id ...)`, e.g. a manager's reports). */
export type Owners = string | SQL;

/** The condition "owned by `owner`" on an owner column (undefined: every owner). */
export function ownedBy(column: AnyColumn | SQL, owner: Owners | undefined): SQL | undefined {
  if (owner === undefined) return undefined;
  if (typeof owner === 'string') return sql`${column} = ${owner}`;
  return sql`${column} IN ${owner}`;
}

export interface OpenItem {
  kind: ObligationKind;
  id: string;
  ownerId: string;
  title: string;
  dueAt: Date | null;
  status: string;
  overdue: boolean;
}

/** What a Slack button (or another channel) can do to an obligation, as its owner or an admin. */
export type ObligationAction = 'acknowledge' | 'complete';

const adapters = new Map<ObligationKind, KindAdapter>();

export function registerKind(adapter: KindAdapter): void {
  adapters.set(adapter.kind, adapter);
}

export function kindAdapter(kind: string): KindAdapter {
  const a = adapters.get(kind as ObligationKind);
  if (!a) throw new Error(`No adapter registered for obligation kind ${kind}`);
  return a;
}

export const registeredKinds = (): KindAdapter[] => [...adapters.values()];

/**
 * An obligation's progress (its performed step keys, and whether any escalation was
 * acknowledged) as columns of the kind's own row select (`id` its id column), so loading an
 * obligation (under lock or not) is one statement (row-load.ts).
 */
export const progressColumns = (kind: ObligationKind, id: PgColumn) => ({
  done: sql<string[] | null>`array(SELECT s.step_key FROM ${obligationSteps} s
                                 WHERE s.kind = ${kind} AND s.obligation_id = ${qualified(id)})`,
  acked: sql<boolean>`EXISTS(SELECT 1 FROM ${escalations} e
                              WHERE e.kind = ${kind} AND e.obligation_id = ${qualified(id)}
                                AND e.acknowledged_at IS NOT NULL)`,
});

/**
 * A column named with its table ("tickets"."id"): drizzle writes a single table's columns
 * bare, and a bare name inside a subquery means the subquery's own column of that name.
 */
export const qualified = (column: PgColumn): SQL =>
  sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

/** Performed step keys, and whether an escalation was acknowledged, for many obligations of a kind. */
export async function stepsMany(
  db: Executor,
  kind: ObligationKind,
  ids: string[],
): Promise<{ done: Map<string, string[]>; acked: Set<string> }> {
  const done = new Map<string, string[]>();
  const acked = new Set<string>();
  if (!ids.length) return { done, acked };
  const steps = await db
    .select({ id: obligationSteps.obligationId, key: obligationSteps.stepKey })
    .from(obligationSteps)
    .where(and(eq(obligationSteps.kind, kind), inArray(obligationSteps.obligationId, ids)));
  for (const s of steps) done.set(s.id, [...(done.get(s.id) ?? []), s.key]);
  const acks = await db
    .selectDistinct({ id: escalations.obligationId })
    .from(escalations)
    .where(
      and(
        eq(escalations.kind, kind),
        inArray(escalations.obligationId, ids),
        isNotNull(escalations.acknowledgedAt),
      ),
    );
  for (const a of acks) acked.add(a.id);
  return { done, acked };
}

/** An obligation table: a workspace's rows with an id, a status and the escalation level reached. */
type ObligationTable = PgTable & {
  id: PgColumn;
  workspaceId: PgColumn;
  status: PgColumn;
  currentEscalationLevel: PgColumn;
  updatedAt: PgColumn;
};

/** `openIds` for a kind whose open rows are those with one of `openStatuses`. */
export const openIdsOf =
  (table: ObligationTable, openStatuses: readonly string[]): NonNullable<KindAdapter['openIds']> =>
  (db, workspaceId, limit, afterId) => {
    const where = [inArray(table.status, [...openStatuses])];
    if (workspaceId) where.push(eq(table.workspaceId, workspaceId));
    if (afterId) where.push(gt(table.id, afterId));
    return db
      .select({ id: table.id, workspaceId: table.workspaceId })
      .from(table as PgTable)
      .where(and(...where))
      .orderBy(asc(table.id))
      .limit(limit) as Promise<Array<{ id: string; workspaceId: string }>>;
  };

/** `escalatedUpdate` that records the level reached on the obligation's row. */
export const recordLevelOn =
  (table: ObligationTable): NonNullable<KindAdapter['escalatedUpdate']> =>
  (tx, loaded, level, now) =>
    tx
      .update(table)
      .set({ currentEscalationLevel: level, updatedAt: now } as never)
      .where(eq(table.id, loaded.state.id));

/**
 * The outcome of a step that moves an obligation to `status` with a guarded UPDATE: audited
 * only when the UPDATE changed the row (a concurrent change wins otherwise), the owner told
 * by `template` either way. `reportAfter` lets the engine skip re-reading the row.
 */
export function statusStep(
  loaded: LoadedObligation,
  changed: boolean,
  change: { action: AuditAction; status: string; verb: string; template: StepMessage['template'] },
  data: Record<string, unknown>,
  reportAfter = false,
): AppliedStep {
  const s = loaded.state;
  return {
    audit: changed
      ? [
          {
            action: change.action,
            targetType: s.kind,
            targetId: s.id,
            oldValue: { status: s.status },
            newValue: { status: change.status },
            description: `${loaded.title}: ${change.verb}`,
          },
        ]
      : [],
    messages: s.ownerId ? [{ recipientIds: [s.ownerId], template: change.template, data }] : [],
    ...(reportAfter && {
      after: changed ? { status: change.status, details: { ...loaded.details, status: change.status } } : {},
    }),
  };
}
