import { randomUUID } from 'node:crypto';
import type { AppDeps } from '@vigil/domains/deps';
import { createSlackReceiver } from '@vigil/domains/notifications/slack';
import { slackHandlers } from '@vigil/domains/notifications/slack-actions';
import { registerDomains } from '@vigil/domains/registry';
import { allRoutes } from '@vigil/domains/routes';
import { NotFound } from '@vigil/kernel/errors';
import { pingTemporal } from '@vigil/kernel/temporal';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import client from 'prom-client';
import swaggerUi from 'swagger-ui-express';
import { mountRoutes } from './mount';
import { openApiDocument } from './openapi';
import { errorMiddleware } from './problem';
import { mountConsole } from './web';

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const httpDuration = new client.Histogram({
  name: 'vigil_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

const metricsMiddleware: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  res.on('finish', () => {
    const route = (req.route?.path as string | undefined) ?? 'unmatched';
    end({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
};

/**
 * `/ack/<token>` becomes `/ack/[redacted]` and `/auth/callback?token=<token>` keeps no token (each
 * is a member's one-time credential).
 */
export const redactLinkTokens = (url: string): string =>
  url.replace(/\/ack\/[^/?#]+/g, '/ack/[redacted]').replace(/([?&]token=)[^&#]*/g, '$1[redacted]');

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, rej) => {
        timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface AppExtras {
  /** Extra routers mounted before the JSON parser (e.g. Slack's, which needs the raw body). */
  beforeJson?: (app: Express) => void;
}

export function createApp(deps: AppDeps, extras: AppExtras = {}): Express {
  registerDomains();
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For (the client address in the audit trail) counts only from the proxies
  // TRUST_PROXY names; by default req.ip is the socket's address.
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      // One-time link tokens never reach a log line.
      serializers: {
        req: (req: { url?: string }) => ({ ...req, url: redactLinkTokens(req.url ?? '') }),
      },
    }),
  );
  app.use(helmet());
  app.use(metricsMiddleware);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [pg, temporal] = await Promise.allSettled([
      within(2000, deps.pool.query('SELECT 1')),
      within(2500, pingTemporal(deps.temporal, 2000)),
    ]);
    const report = {
      status: pg.status === 'fulfilled' && temporal.status === 'fulfilled' ? 'ok' : 'unavailable',
      postgres: pg.status === 'fulfilled' ? 'ok' : String(pg.reason?.message ?? pg.reason),
      temporal: temporal.status === 'fulfilled' ? 'ok' : String(temporal.reason?.message ?? temporal.reason),
    };
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  const doc = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerUrl: '/openapi.json' }));

  if (deps.config.SLACK_SIGNING_SECRET) {
    // Slack's interactive buttons: bolt verifies the request signature (bad signature: 401).
    const slack = createSlackReceiver({
      signingSecret: deps.config.SLACK_SIGNING_SECRET,
      botToken: deps.config.SLACK_BOT_TOKEN,
      apiUrl: deps.config.SLACK_API_URL,
      log: deps.log,
      ...slackHandlers(deps),
    });
    app.use(slack.router);
  }
  extras.beforeJson?.(app);
  app.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));
  app.use(express.urlencoded({ extended: false, limit: deps.config.BODY_LIMIT }));

  const router = express.Router();
  mountRoutes(router, allRoutes, deps);
  app.use(router);
  // The console (apps/web's build) at `/`, with the SPA fallback outside the API's paths.
  mountConsole(
    app,
    deps.config,
    allRoutes.map((r) => r.path),
  );
  app.use((req, _res, next) => next(new NotFound('Route', `${req.method} ${req.path}`)));
  app.use(errorMiddleware(deps.log));
  return app;
}
