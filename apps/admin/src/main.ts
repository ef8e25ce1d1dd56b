import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyChain } from '@vigil/domains/audit/service';
import { issueSignInLink } from '@vigil/domains/auth/service';
import { WORKFLOW_TYPES } from '@vigil/domains/obligations/signals';
import { bootstrapWorkspace, createToken } from '@vigil/domains/people/access';
import { members } from '@vigil/domains/people/schema';
import { getMember } from '@vigil/domains/people/service';
import { publishTemplateVersion } from '@vigil/domains/policies/template-service';
import { systemContext } from '@vigil/kernel/auth';
import { SA } from '@vigil/kernel/search-attributes';
import { ensureDatabase, runMigrations } from '@vigil/stack';
import { eq } from 'drizzle-orm';
import { apiBaseUrl, connect, resolveEnv } from './connect';
import { obligationCommand, reconcileCommand, schedulesCommand } from './obligations';

const HELP = `Vigil admin CLI (npm run admin -- <command>)

  bootstrap --workspace NAME --admin-email EMAIL [--admin-name NAME] [--json]
      Create a workspace with its first admin; prints the admin token once.
  token create --member ID [--name NAME] [--json]
      Issue an API token for a member.
  sign-in-link --email EMAIL [--workspace ID] [--json]
      Print a one-time console sign-in link for an active member (audited).
  audit verify --workspace ID [--json]
      Recompute the workspace's audit hash chain; exit 1 if it is broken.
  doctor
      Check Postgres, Temporal and a worker round trip.
  obligation show|signal|escalate-now KIND ID
      Row plus workflow state; wake the workflow; fire the next escalation now.
      KIND: training_assignment, member_certification, reminder_instance,
      acknowledgement_request, ticket.
  reconcile [--workspace ID]
      Start every obligation workflow that should be running and is not.
  schedules list | schedules trigger ID
      Temporal Schedules of the sweeps.
  template publish KEY FILE [--config JSON]
      Publish a new version of a default policy template; workspaces whose policy
      derives from an older version get an upgrade prompt.

Connection: DATABASE_URL and TEMPORAL_ADDRESS, or the running \`npm start\` stack.`;

type Flags = Record<string, string | boolean | undefined>;

function need(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required`);
  return v;
}

class UsageError extends Error {}

const out = (json: boolean, data: unknown, text: string) => console.log(json ? JSON.stringify(data) : text);

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      email: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      member: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const flags = values as Flags;
  const json = Boolean(flags.json);
  const [cmd, sub] = positionals;
  if (!cmd || flags.help) {
    console.log(HELP);
    return cmd ? 0 : 2;
  }
  if (cmd === 'bootstrap') {
    const name = need(flags, 'workspace');
    const email = need(flags, 'admin-email');
    const url = resolveEnv().DATABASE_URL as string;
    await ensureDatabase(url);
    await runMigrations(url);
    const deps = await connect();
    try {
      const boot = await bootstrapWorkspace(deps.db, {
        name,
        adminEmail: email,
        adminName: flags['admin-name'] as string | undefined,
      });
      out(
        json,
        { workspace_id: boot.workspace.id, admin_id: boot.admin.id, token: boot.token },
        `workspace ${boot.workspace.id}\nadmin ${boot.admin.id}\ntoken ${boot.token}`,
      );
      return 0;
    } finally {
      await deps.close();
    }
  }
  if (cmd === 'token' && sub === 'create') {
    const memberId = need(flags, 'member');
    const deps = await connect();
    try {
      const [m] = await deps.db.select().from(members).where(eq(members.id, memberId));
      if (!m) throw new UsageError(`No member ${memberId}`);
      await getMember(deps.db, m.workspaceId, memberId);
      const ctx = { ...systemContext(m.workspaceId), via: 'SYSTEM' as const };
      const { row, secret } = await createToken(
        deps.db,
        { ...ctx, role: 'ADMIN' },
        { member_id: memberId, name: (flags.name as string) ?? 'cli' },
      );
      out(json, { token_id: row.id, token: secret, workspace_id: m.workspaceId }, secret);
      return 0;
    } finally {
      await deps.close();
    }
  }
  if (cmd === 'sign-in-link') {
    const email = need(flags, 'email');
    const deps = await connect();
    try {
      const link = await issueSignInLink(deps.db, deps.config, {
        email,
        workspaceId: flags.workspace as string | undefined,
        baseUrl: apiBaseUrl(deps.config),
      });
      out(
        json,
        {
          url: link.url,
          workspace_id: link.workspaceId,
          member_id: link.memberId,
          expires_at: link.expiresAt.toISOString(),
        },
        link.url,
      );
      return 0;
    } finally {
      await deps.close();
    }
  }
  if (cmd === 'audit' && sub === 'verify') {
    const ws = need(flags, 'workspace');
    const deps = await connect();
    try {
      const res = await verifyChain(deps.db, ws);
      out(
        json,
        res,
        res.ok
          ? `OK: ${res.entries} entries, head seq ${res.head_seq}`
          : `BROKEN at seq ${res.first_broken_seq} (${res.reason})`,
      );
      return res.ok ? 0 : 1;
    } finally {
      await deps.close();
    }
  }
  if (cmd === 'doctor') {
    const deps = await connect();
    try {
      await deps.pool.query('SELECT 1');
      console.log('postgres: ok');
      const id = `probe/doctor-${Date.now()}`;
      const handle = await deps.temporal.client.workflow.start(WORKFLOW_TYPES.probe, {
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        workflowId: id,
        args: [{ workspaceId: '00000000-0000-0000-0000-000000000000' }],
        typedSearchAttributes: [{ key: SA.WorkspaceId, value: '00000000-0000-0000-0000-000000000000' }],
        workflowExecutionTimeout: '30 seconds',
      });
      const res = await handle.result();
      console.log(`temporal + worker: ok (${JSON.stringify(res)})`);
      return 0;
    } finally {
      await deps.close();
    }
  }
  if (cmd === 'template' && sub === 'publish') {
    const [key, file] = [positionals[2], positionals[3]];
    if (!key || !file) throw new UsageError('template publish KEY FILE [--config JSON]');
    const deps = await connect();
    try {
      const config = typeof flags.config === 'string' ? JSON.parse(flags.config) : undefined;
      const res = await publishTemplateVersion(deps.db, key, readFileSync(file, 'utf8'), config);
      out(
        json,
        res,
        `published ${key} v${res.version.version}; ${res.prompts.length} upgrade prompt(s) created`,
      );
      return 0;
    } finally {
      await deps.close();
    }
  }
  if (cmd === 'obligation') return obligationCommand(sub, positionals[2], positionals[3]);
  if (cmd === 'reconcile') return reconcileCommand(flags.workspace as string | undefined);
  if (cmd === 'schedules') return schedulesCommand(sub, positionals[2]);
  throw new UsageError(`Unknown command: ${positionals.join(' ')}`);
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(
      err instanceof UsageError ? `${err.message}\n\n${HELP}` : err instanceof Error ? err.message : err,
    );
    process.exit(err instanceof UsageError ? 2 : 1);
  });
