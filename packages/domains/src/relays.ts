import { onCommitted } from '@vigil/kernel/db';
import { PollingRelay } from '@vigil/kernel/relay';
import type { AppDeps } from './deps';
import { createDelivery, type DeliveryOptions } from './notifications/delivery';
import { COMMAND_BATCH, relayWorkflowCommands } from './obligations/commands';

export interface Relays {
  delivery: PollingRelay;
  commands: PollingRelay;
  stop(): Promise<void>;
}

/**
 * The two outbox relays every API and worker process runs: notification delivery and
 * workflow commands. Each polls every OUTBOX_POLL_MS and wakes at once when a transaction
 * of this process commits. Several processes share the work through SKIP LOCKED claims.
 */
export function startRelays(deps: AppDeps, opts: { delivery?: DeliveryOptions } = {}): Relays {
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
  const off = onCommitted(deps.db, () => {
    deliveryRelay.kick();
    commandRelay.kick();
  });
  return {
    delivery: deliveryRelay,
    commands: commandRelay,
    stop: async () => {
      off();
      await Promise.all([deliveryRelay.stop(), commandRelay.stop()]);
    },
  };
}
