import type { DomainModule } from '../module';
import { reconcileObligations } from './reconcile';

/** The obligation engine: its one workflow, the workflow-command relay, and the reconcile safety net. */
export const obligationsModule: DomainModule = {
  name: 'obligations',
  sweeps: [
    {
      id: 'process-reminder-escalations',
      description: 'Reconcile: start every obligation workflow that should be running and is not',
      spec: { intervals: [{ every: '2 hours' as const }] },
      run: async (deps) => ({ ...(await reconcileObligations(deps)) }),
    },
  ],
};
