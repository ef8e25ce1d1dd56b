import type { DomainModule } from '../module';
import { onMemberOffboarded, onMemberScopeChanged, periodicSweep } from './ack-service';
import { previewOffboardingAcks } from './acks';
import { approvalReminderSweep } from './escalate';
import { ackKind } from './kind';
import { policyRoutes } from './routes';
import { ackStatusRoutes } from './routes-ack-status';

export const policiesModule: DomainModule = {
  name: 'policies',
  routes: [...policyRoutes, ...ackStatusRoutes],
  kinds: [ackKind],
  hooks: {
    memberScopeChanged: [onMemberScopeChanged],
    memberOffboarded: [onMemberOffboarded],
    offboardPreview: [previewOffboardingAcks],
  },
  sweeps: [
    {
      id: 'periodic-acknowledgements',
      description: 'A PERIODIC acknowledgement event for each workspace whose settings.periodic_ack is today',
      spec: { cronExpressions: ['0 1 * * *'] },
      run: (deps) => periodicSweep(deps.db),
    },
    {
      id: 'policy-approval-reminders',
      description: 'Remind approvers of policy versions pending approval for more than a day',
      spec: { cronExpressions: ['0 9 * * *'] },
      run: (deps) => approvalReminderSweep(deps.db, deps.config),
    },
  ],
};
