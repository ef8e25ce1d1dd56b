import { SA } from '@vigil/kernel/search-attributes';
import { withTemporal } from '@vigil/kernel/temporal';
import pLimit from 'p-limit';
import type { WorkflowStarter } from '../obligations/commands';
import { EVIDENCE_PACK_WORKFLOW, type EvidencePackInput, evidencePackWorkflowId } from './signals';

export { evidencePackWorkflowId };

/**
 * Starts the workflows of packs just committed (called by the workflow-command relay,
 * obligations/commands.ts). The id is the business key and the conflict policy
 * USE_EXISTING, so a repeated command is harmless. Returns each failed start's error by position.
 */
export const startEvidencePacks: WorkflowStarter = async ({ temporal }, refs, opts) => {
  const errors: Array<string | undefined> = new Array(refs.length).fill(undefined);
  const limit = pLimit(8);
  await Promise.all(
    refs.map((r, i) =>
      limit(async () => {
        try {
          await withTemporal(temporal, () =>
            temporal.client.workflow.start(EVIDENCE_PACK_WORKFLOW, {
              workflowId: evidencePackWorkflowId(r.id),
              taskQueue: opts.taskQueue ?? temporal.taskQueue,
              args: [{ packId: r.id, workspaceId: r.workspaceId }] as [EvidencePackInput],
              workflowIdConflictPolicy: 'USE_EXISTING',
              typedSearchAttributes: [{ key: SA.WorkspaceId, value: r.workspaceId }],
            }),
          );
        } catch (err) {
          errors[i] = err instanceof Error ? err.message : String(err);
        }
      }),
    ),
  );
  return { failed: errors.filter(Boolean).length, errors };
};
