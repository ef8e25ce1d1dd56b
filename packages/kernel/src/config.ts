import { isIP } from 'node:net';
import { z } from 'zod';

/** Express's `trust proxy` setting: off, every hop, a hop count, or the proxies' addresses. */
export type TrustProxy = boolean | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY, parsed: unset, `false` or `0` trust no proxy (the client address is the
 * socket's); `true` trusts every hop; a number trusts that many hops; otherwise a
 * comma-separated list of `loopback`, `linklocal`, `uniquelocal`, IP addresses and CIDR
 * ranges. Null when the value is none of these.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy | null {
  const v = raw?.trim() ?? '';
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v) <= 100 ? Number(v) : null;
  const entries = v.split(',').map((e) => e.trim());
  return entries.every(isProxyAddress) ? entries : null;
}

/** Every environment variable Vigil reads. The README's table mirrors this schema. */
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): TrustProxy => {
      const parsed = parseTrustProxy(v);
      if (parsed !== null) return parsed;
      ctx.addIssue({
        code: 'custom',
        message:
          'expected false, true, a hop count, or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses and CIDR ranges',
      });
      return z.NEVER;
    }),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.string().default('1mb'),
  UPLOAD_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  QUESTIONNAIRE_MAX_UNZIPPED_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  QUESTIONNAIRE_MAX_SHEETS: z.coerce.number().int().positive().default(50),
  QUESTIONNAIRE_MAX_ROWS: z.coerce.number().int().positive().default(20_000),
  QUESTIONNAIRE_MAX_CELL_CHARS: z.coerce.number().int().positive().default(32_767),
  QUESTIONNAIRE_PARSE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  QUESTIONNAIRE_PARSE_MEMORY_MB: z.coerce.number().int().min(64).default(512),
  QUESTIONNAIRE_PARSE_CONCURRENCY: z.coerce.number().int().positive().default(2),
  DOCUMENT_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(5 * 1024 * 1024 * 1024)
    .default(100 * 1024 * 1024),
  // metadata extraction of stored documents (documents/extraction.ts)
  DOCUMENT_EXTRACTION_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  DOCUMENT_EXTRACTION_MAX_PAGES: z.coerce.number().int().positive().default(500),
  DOCUMENT_EXTRACTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(240_000).default(60_000),
  DOCUMENT_EXTRACTION_MEMORY_MB: z.coerce.number().int().min(64).default(512),
  DOCUMENT_EXTRACTION_CONCURRENCY: z.coerce.number().int().positive().max(32).default(2),
  DOCUMENT_SUMMARY_API_URL: z.url().optional(),
  DOCUMENT_SUMMARY_API_KEY: z.string().optional(),
  DOCUMENT_SUMMARY_MODEL: z.string().min(1).default('gpt-4o-mini'),
  DOCUMENT_SUMMARY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(20_000),
  DOCUMENT_SUMMARY_MAX_INPUT_CHARS: z.coerce.number().int().min(100).max(200_000).default(12_000),
  PAGE_SIZE_MAX: z.coerce.number().int().positive().default(200),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('vigil'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(0).max(65535).default(8233),
  /** Base URL of the Temporal Web UI the console links workflows to (default http://localhost:<TEMPORAL_UI_PORT>). */
  TEMPORAL_UI_URL: z.url().optional(),
  VIGIL_DATA_DIR: z.string().default('.data'),
  VIGIL_WORKFLOW_BUNDLE: z.string().optional(),
  VIGIL_SECRET: z.string().min(16).optional(),
  SENDGRID_API_KEY: z.string().optional(),
  SENDGRID_BASE_URL: z.url().optional(),
  MAIL_FROM: z.email().default('vigil@localhost.localdomain'),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_API_URL: z.url().optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  /** The endpoint presigned URLs name, when clients reach S3 by another address than the API does. */
  S3_PUBLIC_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  TEMPORAL_WORKER_CACHE_SIZE: z.coerce.number().int().min(10).max(100_000).default(500),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  NOTIFICATION_SENDING_TIMEOUT_MS: z.coerce.number().int().min(11_000).default(30_000),
  SIGN_IN_LINK_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  SIGN_IN_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).max(10_000).default(5),
  SIGN_IN_LIMIT_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
  SIGN_IN_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(2_592_000).default(43_200),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(31_536_000).default(604_800),
  SESSION_ROTATE_SECONDS: z.coerce.number().int().min(1).max(31_536_000).default(3600),
  WEB_DIST_DIR: z.string().min(1).optional(),
  /** Development only: webhook URLs may use http:// */
  ALLOW_HTTP_WEBHOOKS: flag,
  /** Development only: webhook URLs may point at loopback, private or link-local addresses. */
  ALLOW_PRIVATE_WEBHOOKS: flag,
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; a bad value fails fast with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The same config with DATABASE_URL and TEMPORAL_ADDRESS known to be set. */
export type ResolvedConfig = Config & { DATABASE_URL: string; TEMPORAL_ADDRESS: string };

export function requireResolved(config: Config): ResolvedConfig {
  if (!config.DATABASE_URL) throw new ConfigError('DATABASE_URL is required (npm start sets it for you)');
  if (!config.TEMPORAL_ADDRESS)
    throw new ConfigError('TEMPORAL_ADDRESS is required (npm start sets it for you)');
  return config as ResolvedConfig;
}

/** The API's external base URL (no trailing slash), for links in messages: PUBLIC_URL, else local. */
/** The Temporal Web UI's base URL, without a trailing slash. */
export function temporalUiUrl(config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_UI_PORT'>): string {
  return (config.TEMPORAL_UI_URL ?? `http://localhost:${config.TEMPORAL_UI_PORT}`).replace(/\/+$/, '');
}

export function publicUrl(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>): string {
  return (config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/+$/, '');
}
