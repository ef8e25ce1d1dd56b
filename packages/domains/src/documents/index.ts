import type { DomainModule } from '../module';
import { documentActivities } from './activities';
import { startDocumentExtractions } from './client';
import { documentRoutes } from './routes';
import { DOCUMENT_EXTRACTION_KIND } from './signals';

export const documentsModule: DomainModule = {
  name: 'documents',
  routes: documentRoutes,
  activities: documentActivities,
  workflowStarters: { [DOCUMENT_EXTRACTION_KIND]: startDocumentExtractions },
};

export { type DocumentActivities, documentActivities } from './activities';
export { DOCUMENT_EXTRACTION_KIND, DOCUMENT_WORKFLOW, documentWorkflowId } from './signals';
