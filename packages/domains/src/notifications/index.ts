import type { DomainModule } from '../module';
import { queueDailyDigests } from './digest';
import { notificationRoutes } from './routes';

/** The outbox, its delivery relay (delivery.ts), and the daily digest. */
export const notificationsModule: DomainModule = {
  name: 'notifications',
  routes: notificationRoutes,
  // Queued in the outbox; the delivery relay sends them (after each recipient's quiet hours).
  sweeps: [
    {
      id: 'send-daily-reminder-digest',
      description: 'Each member’s open items, and each manager’s reports’ overdue items',
      spec: { cronExpressions: ['0 8 * * *'] },
      run: async (deps) => ({ queued: (await queueDailyDigests(deps)).ids.length }),
    },
  ],
};
