import type { DomainModule } from '../module';
import { documentActivities } from './activities';
import { startDocumentExtractions } from './client';
import { documentRoutes } from './routes';
import { DOCUMENT_EXTRACTION_KIND } from './signals';
import { requeuePendingExtractions } from './versions';

export const documentsModule: DomainModule = {
  name: 'documents',
  routes: documentRoutes,
  activities: documentActivities,
  workflowStarters: { [DOCUMENT_EXTRACTION_KIND]: startDocumentExtractions },
  sweeps: [
    {
      id: 'retry-pending-extractions',
      description:
        'Hourly: versions still PENDING extraction an hour after they were stored are queued again',
      spec: { intervals: [{ every: '1 hour' as const }] },
      run: async (deps) => requeuePendingExtractions(deps.db),
    },
  ],
};

export { type DocumentActivities, documentActivities } from './activities';
export { DOCUMENT_EXTRACTION_KIND, DOCUMENT_WORKFLOW, documentWorkflowId } from './signals';
