/** The extraction workflow's type and id, shared by its workflow and its client. Workflow-safe. */
export const DOCUMENT_WORKFLOW =
  'documentExtractionWorkflow' as const satisfies keyof typeof import('./workflows');
/** The workflow-command kind a stored version queues (drizzle/0010_document_extraction.sql). */
export const DOCUMENT_EXTRACTION_KIND = 'document_extraction';
/** One workflow per stored version: `document/<version id>`. */
export const documentWorkflowId = (versionId: string) => `document/${versionId}`;

export interface DocumentExtractionInput {
  versionId: string;
  workspaceId: string;
}
