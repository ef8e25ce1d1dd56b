import type { DomainModule } from '../module';
import { webhookRoutes } from './routes';

/** Signed outgoing webhooks (Standard Webhooks), delivered by the webhook relay (delivery.ts). */
export const webhooksModule: DomainModule = { name: 'webhooks', routes: webhookRoutes };
