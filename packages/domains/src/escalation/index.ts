import type { DomainModule } from '../module';
import { ticketKind } from './kind';
import { escalationRoutes } from './routes';

/** Escalation matrices and tickets (an obligation kind of their own). */
export const escalationModule: DomainModule = {
  name: 'escalation',
  routes: escalationRoutes,
  kinds: [ticketKind],
};
