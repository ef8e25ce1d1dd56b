import type { DomainModule } from '../module';
import { REMINDER_COMMAND_KIND, signalReminders } from './client';
import { reminderInstanceKind } from './kind';
import {
  checkEvidenceFreshness,
  flagOverdueReminders,
  generateReminderInstances,
  previewMemberOffboarding,
  reassignOnMemberOffboarded,
} from './maintenance';
import { reminderActivities } from './planner';
import { reminderRoutes } from './routes';

export const remindersModule: DomainModule = {
  name: 'reminders',
  routes: reminderRoutes,
  kinds: [reminderInstanceKind],
  hooks: { memberOffboarded: [reassignOnMemberOffboarded], offboardPreview: [previewMemberOffboarding] },
  activities: reminderActivities,
  workflowStarters: { [REMINDER_COMMAND_KIND]: signalReminders },
  sweeps: [
    {
      id: 'generate-reminder-instances',
      description: 'Daily: every active reminder has its reminder/<id> planner workflow running',
      spec: { cronExpressions: ['15 0 * * *'] },
      run: async (deps) => generateReminderInstances(deps),
    },
    {
      id: 'flag-overdue-reminders',
      description: 'Hourly: one set-based UPDATE marks past-due open instances OVERDUE (audited in bulk)',
      spec: { intervals: [{ every: '1 hour' as const }] },
      run: async (deps) => flagOverdueReminders(deps.db),
    },
    {
      id: 'check-evidence-freshness',
      description:
        'Daily: completions whose newest evidence is older than evidence_freshness_days fire again',
      spec: { cronExpressions: ['30 1 * * *'] },
      run: async (deps) => checkEvidenceFreshness(deps),
    },
  ],
};
