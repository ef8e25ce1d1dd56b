import { ticketKind } from './escalation/ticket-kind';
import { registerKind } from './obligations/kinds';

let registered = false;

/** Wires every domain's obligation kinds and people hooks. Idempotent; called by each composition root. */
export function registerDomains(): void {
  if (registered) return;
  registered = true;
  registerKind(ticketKind);
}
