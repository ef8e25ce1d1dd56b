import {
  App,
  type BlockAction,
  type ButtonAction,
  ExpressReceiver,
  LogLevel,
  type Logger as SlackLogger,
} from '@slack/bolt';
import type { AuthContext } from '@vigil/kernel/auth';
import { AppError } from '@vigil/kernel/errors';
import type { Logger } from '@vigil/kernel/logger';
import type { IRouter } from 'express';
import { ACK_ACTION_ID, COMPLETE_ACTION_ID } from './channels';

export interface SlackAction {
  type: 'acknowledge' | 'complete';
  kind: string;
  id: string;
}

export interface SlackReceiverOptions {
  signingSecret: string;
  botToken?: string;
  /** Slack Web API base URL (tests point it at a local server). */
  apiUrl?: string;
  /** The Vigil member behind a Slack user, or null when the user is not linked. */
  resolveMember(slackUserId: string, teamId?: string): Promise<AuthContext | null>;
  /** Performs a button click as the member; errors are shown to the user ephemerally. */
  onAction(action: SlackAction, ctx: AuthContext): Promise<void>;
  log?: Logger;
}

/** Bolt's logger interface on top of pino (or silent without one). */
function boltLogger(log: Logger | undefined): SlackLogger {
  let level = LogLevel.WARN;
  const write =
    (fn: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      log?.[fn](
        { component: 'slack' },
        msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '),
      );
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

function parseValue(value: string | undefined): { kind: string; id: string } | null {
  try {
    const v = JSON.parse(value ?? '') as { kind?: unknown; id?: unknown };
    return typeof v.kind === 'string' && typeof v.id === 'string' && v.kind && v.id
      ? { kind: v.kind, id: v.id }
      : null;
  } catch {
    return null;
  }
}

const REPLIES: Record<SlackAction['type'], string> = {
  acknowledge: 'Thanks, it is acknowledged.',
  complete: 'Thanks, it is marked complete.',
};

/**
 * Slack interactivity: an Express router for `POST /slack/events` that Bolt verifies
 * (a bad or stale signature answers 401). Mount it before any JSON body parser, since
 * the signature covers the raw body. A click on Acknowledge or Mark complete is acked
 * at once, then performed as the Slack user's member (via SLACK); the outcome is
 * replied ephemerally.
 */
export function createSlackReceiver(opts: SlackReceiverOptions): { router: IRouter; app: App } {
  const logger = boltLogger(opts.log);
  const receiver = new ExpressReceiver({
    signingSecret: opts.signingSecret,
    endpoints: '/slack/events',
    logger,
  });
  const app = new App({
    receiver,
    logger,
    // No auth.test round trip: the bot token is all the listeners need.
    authorize: async () => ({ botToken: opts.botToken }),
    clientOptions: {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    },
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: new RegExp(`^(${ACK_ACTION_ID}|${COMPLETE_ACTION_ID})$`) },
    async ({ ack, body, action, respond }) => {
      await ack();
      const reply = async (text: string) => {
        try {
          await respond({ response_type: 'ephemeral', replace_original: false, text });
        } catch (err) {
          opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'Slack reply failed');
        }
      };
      const target = parseValue(action.value);
      if (!target) return reply('This button is no longer valid.');
      const ctx = await opts.resolveMember(body.user.id, body.team?.id ?? body.user.team_id);
      if (!ctx) return reply('Your Slack account is not linked to a Vigil member, so nothing was changed.');
      const type: SlackAction['type'] = action.action_id === ACK_ACTION_ID ? 'acknowledge' : 'complete';
      try {
        await opts.onAction({ type, ...target }, { ...ctx, via: 'SLACK' });
        await reply(REPLIES[type]);
      } catch (err) {
        if (err instanceof AppError) return reply(err.message);
        opts.log?.error({ err, action: type, ...target }, 'Slack action failed');
        await reply('Something went wrong; nothing was changed. Please try again from Vigil.');
      }
    },
  );

  return { router: receiver.router, app };
}
