import type { DomainModule } from '../module';
import { evidenceActivities } from './activities';
import { startEvidencePacks } from './client';
import { evidenceRoutes } from './routes';
import { EVIDENCE_PACK_KIND } from './signals';

/** The auditor's evidence pack: one zip per period, written by the evidence_pack/<id> workflow. */
export const evidenceModule: DomainModule = {
  name: 'evidence',
  routes: evidenceRoutes,
  activities: evidenceActivities,
  workflowStarters: { [EVIDENCE_PACK_KIND]: startEvidencePacks },
};
