import { WORKFLOW_TYPES } from '@vigil/domains/obligations/signals';
import { allRoutes } from '@vigil/domains/routes';
import { toOpenApiPath } from '@vigil/kernel/http';
import { SA } from '@vigil/kernel/search-attributes';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

describe('platform: health, OpenAPI, and a workflow round trip through the real server', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  it('answers /healthz and /readyz', async () => {
    expect((await h.request('GET', '/healthz', null)).body).toEqual({ status: 'ok' });
    const ready = await h.request('GET', '/readyz', null);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', postgres: 'ok', temporal: 'ok' });
  });

  it('exposes Prometheus metrics', async () => {
    const res = await h.raw('GET', '/metrics', {});
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('vigil_http_request_duration_seconds');
  });

  it('documents every mounted route with request and response schemas', async () => {
    const res = await h.request('GET', '/openapi.json', null);
    expect(res.body.openapi).toBe('3.1.0');
    for (const r of allRoutes) {
      const op = res.body.paths[toOpenApiPath(r.path)]?.[r.method];
      expect([r.method, r.path, Boolean(op)]).toEqual([r.method, r.path, true]);
      if (r.response)
        expect(Object.keys(op.responses)).toContain(String(r.status ?? (r.method === 'post' ? 201 : 200)));
      if (r.body && r.bodyType !== 'raw') expect(op.requestBody).toBeDefined();
    }
    const docs = await h.raw('GET', '/docs/', {});
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
  });

  it('runs a workflow on the worker, which reaches Postgres, and finds it by search attributes', async () => {
    const client = h.deps.temporal.client;
    const workflowId = `probe/${ws.id}`;
    const handle = await client.workflow.start(WORKFLOW_TYPES.probe, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ workspaceId: ws.id }],
      typedSearchAttributes: [{ key: SA.WorkspaceId, value: ws.id }],
    });
    const result = (await handle.result()) as { workflowId: string; dbTime: string };
    expect(result.workflowId).toBe(workflowId);
    expect(new Date(result.dbTime).getTime()).toBeGreaterThan(0);
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of client.workflow.list({
        query: `WorkspaceId = '${ws.id}' AND ObligationKind = 'probe'`,
      })) {
        ids.push(wf.workflowId);
      }
      return ids.length ? ids : null;
    });
    expect(found).toEqual([workflowId]);
  });
});
