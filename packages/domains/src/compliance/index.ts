import type { DomainModule } from '../module';
import { checkBulkCompliance } from './service';

/** The workspace compliance status, computed hourly by check-bulk-compliance. */
export const complianceModule: DomainModule = {
  name: 'compliance',
  sweeps: [
    {
      id: 'check-bulk-compliance',
      description:
        'Computes each workspace’s compliance status (COMPLIANT / AT_RISK / NON_COMPLIANT) and emits workspace.compliance_status_changed on a change',
      spec: { cronExpressions: ['15 * * * *'] },
      run: async (deps) => checkBulkCompliance(deps.db),
    },
  ],
};
