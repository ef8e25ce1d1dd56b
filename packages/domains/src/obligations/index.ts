import type { DomainModule } from '../module';
import { reconcileObligations } from './reconcile';
import { obligationRoutes } from './routes';

/** The obligation engine: its one workflow, the workflow-command relay, the reconcile safety net, and each member's inbox. */
export const obligationsModule: DomainModule = {
  name: 'obligations',
  routes: obligationRoutes,
  sweeps: [
    {
      id: 'process-reminder-escalations',
      description: 'Reconcile: start every obligation workflow that should be running and is not',
      spec: { intervals: [{ every: '2 hours' as const }] },
      run: async (deps) => ({ ...(await reconcileObligations(deps)) }),
    },
  ],
};
