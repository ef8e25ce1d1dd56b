import type { DomainModule } from '../module';
import { automationRoutes } from './routes';

/** Automations: event-triggered notify, create_ticket and webhook actions, run by the event consumer (dispatch.ts). */
export const automationsModule: DomainModule = { name: 'automations', routes: automationRoutes };
