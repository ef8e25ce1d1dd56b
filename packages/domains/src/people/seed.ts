import { type AuthContext, systemContext } from '@vigil/kernel/auth';
import type { Config } from '@vigil/kernel/config';
import { Effects } from '@vigil/kernel/effects';
import type { Logger } from '@vigil/kernel/logger';
import type { TemporalHandle } from '@vigil/kernel/temporal';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { bootstrapWorkspace, updateSettings } from './access';
import { type DemoOptions, seedDemoObligations } from './demo';
import { members } from './schema';
import { createMember } from './service';
import { createRole, createTeam, listRoles, listTeams } from './teams';

export const DEMO_ADMIN_EMAIL = 'ada@demo.vigil.test';

export interface DemoDeps {
  db: Db;
  temporal: TemporalHandle;
  config: Config;
  log: Logger;
}

export interface DemoSeed {
  workspaceId: string;
  /** The admin token, only when this call created the workspace (it is shown once). */
  adminToken: string | null;
  /** One line per thing this call created; empty when everything was there already. */
  created: string[];
}

type MemberExtra = Parameters<typeof createMember>[3] extends infer I ? Partial<I> : never;
const PEOPLE: Array<{ key: string; name: string; email: string; extra: MemberExtra & { manager?: string } }> =
  [
    { key: 'cto', name: 'Chen CTO', email: 'chen', extra: { title: 'CTO', access_role: 'APPROVER' } },
    {
      key: 'vp',
      name: 'Vera VP',
      email: 'vera',
      extra: { title: 'VP Engineering', manager: 'cto', access_role: 'MANAGER' },
    },
    {
      key: 'director',
      name: 'Dev Director',
      email: 'dev',
      extra: { title: 'Director', manager: 'vp', access_role: 'MANAGER' },
    },
    {
      key: 'manager',
      name: 'Mia Manager',
      email: 'mia',
      extra: { title: 'Engineering Manager', manager: 'director', access_role: 'MANAGER' },
    },
    { key: 'lead', name: 'Leo Lead', email: 'leo', extra: { title: 'Tech Lead', manager: 'manager' } },
    {
      key: 'sam',
      name: 'Sam Engineer',
      email: 'sam',
      extra: { title: 'Engineer', manager: 'lead', timezone: 'America/New_York' },
    },
    {
      key: 'kim',
      name: 'Kim Engineer',
      email: 'kim',
      extra: { title: 'Engineer', manager: 'lead', timezone: 'Asia/Kolkata' },
    },
    { key: 'hana', name: 'Hana HR', email: 'hana', extra: { title: 'People Partner', manager: 'director' } },
    {
      key: 'avery',
      name: 'Avery Auditor',
      email: 'avery',
      extra: { title: 'External auditor', access_role: 'AUDITOR' },
    },
  ];
const ROLE_OF: Record<string, string> = {
  lead: 'Engineering',
  sam: 'Engineering',
  kim: 'Engineering',
  hana: 'HR',
};

async function findDemoWorkspace(db: Db): Promise<string | null> {
  const [admin] = await db
    .select({ ws: members.workspaceId })
    .from(members)
    .where(and(eq(members.email, DEMO_ADMIN_EMAIL), eq(members.accessRole, 'ADMIN')));
  return admin?.ws ?? null;
}

/**
 * The demo workspace for a first run: a manager chain up to a CTO, two teams with leads, org
 * roles and escalation contacts (so every ladder level resolves), then live obligations on
 * minute-scale ladders (people/demo.ts). Idempotent: each piece is looked up by its email or name
 * and created only when missing, and `created` lists what this call added.
 */
export async function seedDemoWorkspace(deps: DemoDeps, opts: DemoOptions = {}): Promise<DemoSeed> {
  const { db } = deps;
  const created: string[] = [];
  let workspaceId = await findDemoWorkspace(db);
  let adminToken: string | null = null;
  if (!workspaceId) {
    const boot = await bootstrapWorkspace(db, {
      name: 'Demo',
      adminEmail: DEMO_ADMIN_EMAIL,
      adminName: 'Ada Admin',
    });
    workspaceId = boot.workspace.id;
    adminToken = boot.token;
    created.push(`workspace Demo with its admin Ada Admin <${DEMO_ADMIN_EMAIL}>`);
  }
  const [admin] = await db
    .select()
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.email, DEMO_ADMIN_EMAIL)));
  if (!admin) throw new Error('demo admin missing');
  const ctx: AuthContext = { ...systemContext(workspaceId), memberId: admin.id, via: 'TOKEN' };
  const fx = new Effects(deps.temporal);

  const roles = new Map((await listRoles(db, workspaceId)).map((r) => [r.name, r.id]));
  for (const name of ['Engineering', 'HR']) {
    if (roles.has(name)) continue;
    roles.set(name, (await createRole(db, ctx, { name })).id);
    created.push(`org role ${name}`);
  }
  const existing = await db.select().from(members).where(eq(members.workspaceId, workspaceId));
  const ids = new Map<string, string>();
  for (const p of PEOPLE) {
    const email = `${p.email}@demo.vigil.test`;
    const found = existing.find((m) => m.email === email);
    if (found) {
      ids.set(p.key, found.id);
      continue;
    }
    const { manager, ...extra } = p.extra;
    const role = ROLE_OF[p.key];
    const m = await createMember(db, ctx, fx, {
      name: p.name,
      email,
      timezone: 'Europe/London',
      ...extra,
      ...(manager ? { manager_id: ids.get(manager) } : {}),
      ...(role ? { role_ids: [roles.get(role) as string] } : {}),
    });
    ids.set(p.key, m.id);
    created.push(`member ${p.name}`);
  }
  const id = (key: string) => ids.get(key) as string;
  const teams = new Map((await listTeams(db, workspaceId)).map((t) => [t.name, t.id]));
  const wantTeams = [
    { name: 'Platform', lead_id: id('lead'), member_ids: [id('lead'), id('sam'), id('kim')] },
    { name: 'People', lead_id: id('hana'), member_ids: [id('hana')] },
  ];
  for (const t of wantTeams) {
    if (teams.has(t.name)) continue;
    teams.set(t.name, (await createTeam(db, ctx, fx, t)).id);
    created.push(`team ${t.name}`);
  }
  if (adminToken) {
    await updateSettings(db, ctx, {
      director_contact_id: id('director'),
      vp_exec_contact_id: id('vp'),
      cxo_contact_id: id('cto'),
      policy_approver_id: id('cto'),
    });
    created.push('escalation contacts (director, VP, CXO) and the policy approver');
  }
  await fx.run((name, err) => deps.log.warn({ err, effect: name }, 'demo seed: post-commit effect failed'));
  created.push(
    ...(await seedDemoObligations(
      deps,
      ctx,
      { ...Object.fromEntries(ids), platform: teams.get('Platform') as string },
      opts,
    )),
  );
  return { workspaceId, adminToken, created };
}
