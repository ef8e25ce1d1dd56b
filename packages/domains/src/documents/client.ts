import { SA } from '@vigil/kernel/search-attributes';
import { type TemporalHandle, withTemporal } from '@vigil/kernel/temporal';
import pLimit from 'p-limit';
import type { WorkflowStarter } from '../obligations/commands';
import { DOCUMENT_WORKFLOW, type DocumentExtractionInput, documentWorkflowId } from './signals';

export { documentWorkflowId };

const options = (temporal: TemporalHandle, v: { id: string; workspaceId: string }, taskQueue?: string) => ({
  workflowId: documentWorkflowId(v.id),
  taskQueue: taskQueue ?? temporal.taskQueue,
  args: [{ versionId: v.id, workspaceId: v.workspaceId }] as [DocumentExtractionInput],
  typedSearchAttributes: [{ key: SA.WorkspaceId, value: v.workspaceId }],
  staticSummary: `Metadata extraction of document version ${v.id}`,
});

/**
 * Starts the extraction workflow of each stored version (the workflow-command relay calls
 * this for kind document_extraction). A running one is left alone (USE_EXISTING); a repeat
 * after it finished runs again and finds the version no longer PENDING, so it is harmless.
 */
export const startDocumentExtractions: WorkflowStarter = async (deps, refs, opts) => {
  const limit = pLimit(16);
  const results = await Promise.allSettled(
    refs.map((r) =>
      limit(() =>
        withTemporal(deps.temporal, () =>
          deps.temporal.client.workflow.start(DOCUMENT_WORKFLOW, {
            ...options(deps.temporal, r, opts.taskQueue),
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        ),
      ),
    ),
  );
  const errors = results.map((r) =>
    r.status === 'rejected' ? (r.reason instanceof Error ? r.reason.message : String(r.reason)) : undefined,
  );
  return { failed: errors.filter(Boolean).length, errors };
};
