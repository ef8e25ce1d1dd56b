import sendgridClient from '@sendgrid/client';
import sendgridMail from '@sendgrid/mail';
import {
  type Block,
  type KnownBlock,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
} from '@slack/web-api';
import type { Config } from '@vigil/kernel/config';

/** The provider asked us to slow down; try again after `retryAfterMs`. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly provider: 'sendgrid' | 'slack',
    readonly retryAfterMs: number,
  ) {
    super(`${provider} rate limit reached; retry in ${retryAfterMs} ms`);
  }
}

/** The provider refused the message for good (bad address, unknown channel, bad credentials). */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A failure worth retrying: a 5xx answer, a timeout or a network error. */
export class TransientDeliveryError extends Error {
  override readonly name = 'TransientDeliveryError';
}

export interface EmailMessage {
  /** The outbox row's id, sent as SendGrid `custom_args.vigil_notification_id` (event webhooks and audits correlate on it). */
  id?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface SlackMessage {
  /** A Slack user id (direct message) or channel id. */
  channel: string;
  subject: string;
  text: string;
  /** The obligation the Acknowledge / Mark complete buttons act on. */
  action?: { kind: string; id: string } | null;
}

export interface Channels {
  available: { email: boolean; slack: boolean };
  /** Sends an email; returns SendGrid's message id (X-Message-Id). */
  sendEmail(msg: EmailMessage): Promise<string | null>;
  /** Posts a Slack message; returns "<channel>:<ts>". */
  sendSlack(msg: SlackMessage): Promise<string>;
}

type ChannelConfig = Pick<
  Config,
  'SENDGRID_API_KEY' | 'SENDGRID_BASE_URL' | 'MAIL_FROM' | 'SLACK_BOT_TOKEN' | 'SLACK_API_URL'
>;

// The packages export singletons typed with `export =`; their classes hang off them at runtime.
type SendgridClient = typeof sendgridClient;
type MailService = typeof sendgridMail;
const SendgridClient = (sendgridClient as unknown as { Client: new () => SendgridClient }).Client;
const MailService = (sendgridMail as unknown as { MailService: new () => MailService }).MailService;

const REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_RATE_LIMIT_MS = 30_000;

export const ACK_ACTION_ID = 'vigil_ack';
export const COMPLETE_ACTION_ID = 'vigil_complete';

/** Delay from `Retry-After` (seconds) or `X-RateLimit-Reset` (epoch seconds, or seconds from now). */
export function rateLimitDelayMs(header: (name: string) => unknown, now = Date.now()): number {
  const retryAfter = Number(header('retry-after'));
  if (String(header('retry-after') ?? '').trim() !== '' && Number.isFinite(retryAfter))
    return Math.max(1000, Math.ceil(retryAfter * 1000));
  const reset = Number(header('x-ratelimit-reset'));
  if (String(header('x-ratelimit-reset') ?? '').trim() !== '' && Number.isFinite(reset)) {
    const ms = reset > 1e9 ? reset * 1000 - now : reset * 1000;
    return Math.max(1000, Math.ceil(ms));
  }
  return DEFAULT_RATE_LIMIT_MS;
}

function headerReader(headers: unknown): (name: string) => unknown {
  if (!headers || typeof headers !== 'object') return () => undefined;
  const h = headers as Record<string, unknown> & { get?: (n: string) => unknown };
  return (name) => {
    if (typeof h.get === 'function') {
      const v = h.get(name);
      if (v !== undefined && v !== null) return v;
    }
    const key = Object.keys(h).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : h[key];
  };
}

/** Maps a SendGrid client error to a typed delivery error (never leaking request headers). */
function sendgridError(err: unknown): Error {
  const e = err as { code?: unknown; message?: string; response?: { headers?: unknown; body?: unknown } };
  const status = typeof e.code === 'number' ? e.code : undefined;
  if (status === 429)
    return new RateLimitedError('sendgrid', rateLimitDelayMs(headerReader(e.response?.headers)));
  const body = e.response?.body as { errors?: Array<{ message?: string; field?: string }> } | undefined;
  const detail = body?.errors
    ?.map((x) => [x.field, x.message].filter(Boolean).join(': '))
    .filter(Boolean)
    .join('; ');
  const message = `SendGrid answered ${status ?? (typeof e.code === 'string' ? e.code : 'an error')}${detail ? `: ${detail}` : e.message ? `: ${e.message}` : ''}`;
  if (status !== undefined && status >= 400 && status < 500 && status !== 408)
    return new PermanentDeliveryError(message, status);
  return new TransientDeliveryError(message);
}

/** Slack platform errors that are worth retrying; every other `ok: false` is permanent. */
const SLACK_TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

function slackError(err: unknown): Error {
  if (err instanceof WebAPIRateLimitedError)
    return new RateLimitedError('slack', Math.max(1000, err.retryAfter * 1000));
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    return SLACK_TRANSIENT.has(code)
      ? new TransientDeliveryError(`Slack answered ${code}`)
      : new PermanentDeliveryError(`Slack answered ${code}`);
  }
  if (err instanceof WebAPIHTTPError) {
    const s = err.statusCode;
    return s >= 400 && s < 500 && s !== 408
      ? new PermanentDeliveryError(`Slack answered HTTP ${s}`, s)
      : new TransientDeliveryError(`Slack answered HTTP ${s}`);
  }
  return new TransientDeliveryError(
    `Slack request failed: ${err instanceof Error ? err.message : String(err)}`,
  );
}

/** Slack mrkdwn needs &, < and > escaped; everything else is shown as written. */
const mrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The Slack blocks of a message: its text and, for an obligation, the two action buttons. */
export function slackBlocks(msg: SlackMessage): Array<KnownBlock | Block> {
  const body = `*${mrkdwn(msg.subject)}*\n\n${mrkdwn(msg.text)}`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: body.length > 3000 ? `${body.slice(0, 2997)}...` : body },
    },
  ];
  if (msg.action) {
    const value = JSON.stringify({ kind: msg.action.kind, id: msg.action.id });
    blocks.push({
      type: 'actions',
      block_id: 'vigil_actions',
      elements: [
        {
          type: 'button',
          action_id: ACK_ACTION_ID,
          text: { type: 'plain_text', text: 'Acknowledge' },
          value,
        },
        {
          type: 'button',
          action_id: COMPLETE_ACTION_ID,
          text: { type: 'plain_text', text: 'Mark complete' },
          style: 'primary',
          value,
        },
      ],
    });
  }
  return blocks;
}

/**
 * Email through SendGrid and Slack through the Web API, each configured only when its
 * credentials are present. Neither client retries on its own: a rate limit surfaces at
 * once as RateLimitedError so the caller's retry policy decides when to try again.
 */
export function createChannels(config: ChannelConfig): Channels {
  const available = { email: Boolean(config.SENDGRID_API_KEY), slack: Boolean(config.SLACK_BOT_TOKEN) };

  let mail: MailService | null = null;
  if (config.SENDGRID_API_KEY) {
    const client = new SendgridClient();
    client.setApiKey(config.SENDGRID_API_KEY);
    // setApiKey resets the base URL to the region's host, so override it afterwards.
    if (config.SENDGRID_BASE_URL) client.setDefaultRequest('baseUrl', config.SENDGRID_BASE_URL);
    mail = new MailService();
    mail.setClient(client);
    mail.setTimeout(REQUEST_TIMEOUT_MS);
  }

  const slack = config.SLACK_BOT_TOKEN
    ? new WebClient(config.SLACK_BOT_TOKEN, {
        ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: REQUEST_TIMEOUT_MS,
      })
    : null;

  return {
    available,
    async sendEmail(msg) {
      if (!mail) throw new PermanentDeliveryError('Email is not configured (SENDGRID_API_KEY is not set)');
      try {
        const [res] = await mail.send({
          to: msg.to,
          from: config.MAIL_FROM,
          subject: msg.subject,
          text: msg.text,
          ...(msg.html ? { html: msg.html } : {}),
          ...(msg.id ? { customArgs: { vigil_notification_id: msg.id } } : {}),
        });
        const id = headerReader(res.headers)('x-message-id');
        return typeof id === 'string' && id ? id : null;
      } catch (err) {
        throw sendgridError(err);
      }
    },
    async sendSlack(msg) {
      if (!slack) throw new PermanentDeliveryError('Slack is not configured (SLACK_BOT_TOKEN is not set)');
      try {
        const res = await slack.chat.postMessage({
          channel: msg.channel,
          text: msg.subject,
          blocks: slackBlocks(msg),
          unfurl_links: false,
        });
        return `${res.channel ?? msg.channel}:${res.ts ?? ''}`;
      } catch (err) {
        throw slackError(err);
      }
    },
  };
}
