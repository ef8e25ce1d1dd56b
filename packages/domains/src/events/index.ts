import type { DomainModule } from '../module';
import { eventRoutes } from './routes';

/** Domain events: written with each change, listed, consumed by automations and webhooks. */
export const eventsModule: DomainModule = { name: 'events', routes: eventRoutes };
