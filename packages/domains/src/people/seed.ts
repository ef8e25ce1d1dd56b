import { systemContext } from '@vigil/kernel/auth';
import { Effects } from '@vigil/kernel/effects';
import type { Db } from '../db';
import { bootstrapWorkspace, updateSettings } from './access';
import { createMember } from './service';
import { createRole, createTeam } from './teams';

export const DEMO_ADMIN_EMAIL = 'ada@demo.vigil.test';

/**
 * A demo workspace for a first run: a manager chain up to a CTO, two teams with
 * leads, org roles, and escalation contacts, so every ladder level resolves.
 */
export async function seedDemoWorkspace(db: Db) {
  const boot = await bootstrapWorkspace(db, {
    name: 'Demo',
    adminEmail: DEMO_ADMIN_EMAIL,
    adminName: 'Ada Admin',
  });
  const ctx = { ...systemContext(boot.workspace.id), memberId: boot.admin.id, via: 'TOKEN' as const };
  const fx = new Effects();
  const engineering = await createRole(db, ctx, { name: 'Engineering' });
  const hr = await createRole(db, ctx, { name: 'HR' });
  const add = (
    name: string,
    email: string,
    extra: Parameters<typeof createMember>[3] extends infer I ? Partial<I> : never,
  ) => createMember(db, ctx, fx, { name, email, timezone: 'Europe/London', ...extra });
  const cto = await add('Chen CTO', 'chen@demo.vigil.test', { title: 'CTO', access_role: 'APPROVER' });
  const vp = await add('Vera VP', 'vera@demo.vigil.test', {
    title: 'VP Engineering',
    manager_id: cto.id,
    access_role: 'MANAGER',
  });
  const director = await add('Dev Director', 'dev@demo.vigil.test', {
    title: 'Director',
    manager_id: vp.id,
    access_role: 'MANAGER',
  });
  const manager = await add('Mia Manager', 'mia@demo.vigil.test', {
    title: 'Engineering Manager',
    manager_id: director.id,
    access_role: 'MANAGER',
  });
  const lead = await add('Leo Lead', 'leo@demo.vigil.test', {
    title: 'Tech Lead',
    manager_id: manager.id,
    role_ids: [engineering.id],
  });
  const sam = await add('Sam Engineer', 'sam@demo.vigil.test', {
    title: 'Engineer',
    manager_id: lead.id,
    role_ids: [engineering.id],
    timezone: 'America/New_York',
  });
  const kim = await add('Kim Engineer', 'kim@demo.vigil.test', {
    title: 'Engineer',
    manager_id: lead.id,
    role_ids: [engineering.id],
    timezone: 'Asia/Kolkata',
  });
  const hana = await add('Hana HR', 'hana@demo.vigil.test', {
    title: 'People Partner',
    manager_id: director.id,
    role_ids: [hr.id],
  });
  await add('Avery Auditor', 'avery@demo.vigil.test', { title: 'External auditor', access_role: 'AUDITOR' });
  await createTeam(db, ctx, fx, {
    name: 'Platform',
    lead_id: lead.id,
    member_ids: [lead.id, sam.id, kim.id],
  });
  await createTeam(db, ctx, fx, { name: 'People', lead_id: hana.id, member_ids: [hana.id] });
  await updateSettings(db, ctx, {
    director_contact_id: director.id,
    vp_exec_contact_id: vp.id,
    cxo_contact_id: cto.id,
    policy_approver_id: cto.id,
  });
  await fx.run();
  return { workspaceId: boot.workspace.id, adminToken: boot.token };
}
