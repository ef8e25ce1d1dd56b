import { auditChainHeads } from '@vigil/domains/audit/schema';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { openApiDocument } from '../../apps/api/src/openapi';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * Hostile variants of every route's request, generated from our own OpenAPI document, against
 * the real API: NUL bytes, lone surrogates, huge and deeply nested values, wrong types, and
 * another workspace's ids in paths, queries and bodies. Properties: never a 5xx (but 503), and
 * nothing in the other workspace changes.
 */
type Schema = {
  type?: string | string[];
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  minItems?: number;
  minLength?: number;
};

/** A value the schema accepts (a plausible request), to carry one hostile field past validation. */
function sample(schema: Schema | undefined, ids: string[], depth = 0): unknown {
  if (!schema || depth > 6) return null;
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.length) return sample(alt.find((x) => x.type !== 'null') ?? alt[0], ids, depth + 1);
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of schema.required ?? []) out[k] = sample(schema.properties?.[k], ids, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, ids, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return ids[0];
      if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000 * 30).toISOString();
      if (schema.format === 'date') return new Date(Date.now() + 86_400_000 * 30).toISOString().slice(0, 10);
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri') return 'https://example.com/x';
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    default:
      return null;
  }
}
type Operation = {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

/** Percent-encodes a path segment; a lone surrogate goes out as the invalid UTF-8 bytes it would be. */
const encodeSegment = (v: string): string =>
  [...v]
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        return '%ED%A0%80';
      }
    })
    .join('');

const RUNS = Number(process.env.HOSTILE_RUNS ?? 25);
const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('hostile input against every route', () => {
  let h: Harness;
  let a: TestWorkspace;
  let b: TestWorkspace;
  const foreign: string[] = [];
  const counts: Record<string, number> = {};
  let requests = 0;

  const bState = async () => {
    const tables = [
      'members',
      'teams',
      'tickets',
      'mandatory_trainings',
      'training_assignments',
      'reminders',
    ];
    const out: Record<string, unknown> = {};
    for (const t of tables) {
      const r = await h.deps.db.execute(
        sql`SELECT count(*)::int AS n, max(updated_at)::text AS at FROM ${sql.identifier(t)} WHERE workspace_id = ${b.id}`,
      );
      out[t] = r.rows[0];
    }
    const [head] = await h.deps.db
      .select()
      .from(auditChainHeads)
      .where(eq(auditChainHeads.workspaceId, b.id));
    out.audit = head ?? null;
    return out;
  };

  beforeAll(async () => {
    h = await startHarness();
    a = await h.workspace();
    b = await h.workspace();
    // Ids that exist, in the other workspace.
    const m = await b.member('MEMBER');
    foreign.push(m.id, b.adminId, b.id);
    const team = await h.request('POST', `/workspaces/${b.id}/teams`, b.adminToken, { name: 'B team' });
    const ticket = await h.request('POST', `/workspaces/${b.id}/tickets`, b.adminToken, {
      title: 'B ticket',
    });
    const training = await h.request('POST', '/compliance/mandatory-training', b.adminToken, {
      name: 'B training',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    for (const r of [team, ticket, training]) if (r.body?.id) foreign.push(r.body.id as string);
  });
  afterAll(async () => {
    console.log(`hostile corpus: ${requests} requests; outcomes by status: ${JSON.stringify(counts)}`);
    await h.close();
  });

  const hostileString = () =>
    fc.oneof(
      // NUL bytes and lone surrogates: what Postgres refuses and JSON carries.
      { weight: 4, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy') },
      fc.constantFrom(
        '',
        ' ',
        "' OR 1=1 --",
        '../../etc/passwd',
        '%00',
        '1e309',
        '-1',
        '9'.repeat(40),
        '99999-12-31T00:00:00Z',
        'P99999Y',
        'PT0S',
        '* * *',
        '0 0 * * * *',
        'x'.repeat(20_000),
        '<script>alert(1)</script>',
        '__proto__',
      ),
      fc.constantFrom(...foreign),
      fc.uuid(),
      fc.string({ maxLength: 40 }),
    );
  const hostileValue = (): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: 4, arbitrary: hostileString() },
      fc.constantFrom(0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER * 10, true, null),
      fc.array(hostileString(), { maxLength: 3 }),
      fc.constantFrom({}, { __proto__: { admin: true } }, { constructor: { prototype: {} } }),
      fc.constant([foreign[0], foreign[1]]),
    );
  const bodyFor = (schema: Schema | undefined) => {
    const props = Object.keys(schema?.properties ?? {});
    const valid = sample(schema, [a.adminId]) as Record<string, unknown> | null;
    return fc.oneof(
      // A plausible request with one hostile field: it gets past validation to the service and Postgres.
      {
        weight: 6,
        arbitrary: fc
          .tuple(fc.constantFrom(...(props.length ? props : ['x'])), hostileValue())
          .map(([k, v]) => ({ ...(valid ?? {}), [k]: v })),
      },
      {
        weight: 5,
        arbitrary: fc.dictionary(fc.constantFrom(...(props.length ? props : ['x'])), hostileValue()),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom('DEEP', 'NUL-KEY') },
    );
  };

  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );

  it('covers every route of the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(120);
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))(
    '%s: never a 5xx, never a change in another workspace',
    async (_name, { path, method, op }) => {
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path' && p.name !== 'ws');
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
      const json = op.requestBody?.content?.['application/json'];
      const before = await bState();
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...pathParams.map(() => hostileString()), fc.constant(null)),
          fc.dictionary(
            fc.constantFrom(...(queryParams.length ? queryParams.map((p) => p.name) : ['q'])),
            hostileString(),
            {
              maxKeys: 3,
            },
          ),
          json ? bodyFor(json.schema) : fc.constant(undefined),
          fc.boolean(),
          async (values, query, body, asMember) => {
            let url = path.replace('{ws}', a.id);
            pathParams.forEach((p, i) => {
              url = url.replace(`{${p.name}}`, encodeSegment(String(values[i])));
            });
            const qs = new URLSearchParams(query as Record<string, string>).toString();
            const raw =
              body === 'DEEP'
                ? deep(5000)
                : body === 'NUL-KEY'
                  ? '{"a\\u0000b":"c\\u0000"}'
                  : body === undefined
                    ? undefined
                    : JSON.stringify(body);
            const token = asMember ? await memberToken() : a.adminToken;
            const res = await h.raw(method, `${url}${qs ? `?${qs}` : ''}`, {
              token,
              body: method === 'GET' ? undefined : raw,
              headers: raw !== undefined && method !== 'GET' ? { 'content-type': 'application/json' } : {},
            });
            requests++;
            counts[res.status] = (counts[res.status] ?? 0) + 1;
            if (res.status >= 500 && res.status !== 503)
              throw new Error(
                `${method} ${url}?${qs} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`,
              );
          },
        ),
        { numRuns: RUNS, seed: 20261201 },
      );
      expect(await bState()).toEqual(before);
    },
  );

  let member: string | null = null;
  const memberToken = async () => {
    member ??= (await a.member('MEMBER')).token;
    return member;
  };
});
