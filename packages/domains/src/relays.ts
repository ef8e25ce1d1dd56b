import { onCommitted } from '@vigil/kernel/db';
import { PollingRelay } from '@vigil/kernel/relay';
import { dispatchEvents } from './automations/dispatch';
import type { AppDeps } from './deps';
import { createDelivery, type DeliveryOptions } from './notifications/delivery';
import { COMMAND_BATCH, relayWorkflowCommands } from './obligations/commands';
import { registerDomains } from './registry';
import { relayWebhooks } from './webhooks/delivery';

export interface Relays {
  delivery: PollingRelay;
  commands: PollingRelay;
  /** The event consumer: automations runs and webhook deliveries (automations/dispatch.ts). */
  events: PollingRelay;
  /** Signed webhook deliveries with retries (webhooks/delivery.ts). */
  webhooks: PollingRelay;
  stop(): Promise<void>;
}

/**
 * The outbox relays every API and worker process runs: notification delivery and
 * workflow commands. Each polls every OUTBOX_POLL_MS and wakes at once when a transaction
 * of this process commits. Several processes share the work through SKIP LOCKED claims.
 */
export function startRelays(deps: AppDeps, opts: { delivery?: DeliveryOptions } = {}): Relays {
  // the command relay starts each domain's workflows through the starters registered here
  registerDomains();
  const delivery = createDelivery(deps, opts.delivery);
  const relayOpts = { intervalMs: deps.config.OUTBOX_POLL_MS, log: deps.log };
  const deliveryRelay = new PollingRelay(
    'notifications',
    async () => (await delivery.runOnce()).claimed >= delivery.batch,
    relayOpts,
  ).start();
  const commandRelay = new PollingRelay(
    'workflow-commands',
    async () => (await relayWorkflowCommands(deps)).claimed >= COMMAND_BATCH,
    relayOpts,
  ).start();
  const eventRelay = new PollingRelay(
    'events',
    async () => (await dispatchEvents(deps)).claimed >= 100,
    relayOpts,
  ).start();
  const webhookRelay = new PollingRelay(
    'webhooks',
    async () => (await relayWebhooks(deps)).claimed >= 20,
    relayOpts,
  ).start();
  const off = onCommitted(deps.db, () => {
    deliveryRelay.kick();
    commandRelay.kick();
    eventRelay.kick();
    webhookRelay.kick();
  });
  return {
    delivery: deliveryRelay,
    commands: commandRelay,
    events: eventRelay,
    webhooks: webhookRelay,
    stop: async () => {
      off();
      await Promise.all([deliveryRelay.stop(), commandRelay.stop(), eventRelay.stop(), webhookRelay.stop()]);
    },
  };
}
