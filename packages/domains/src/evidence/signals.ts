/** The evidence pack's workflow type, id and input, shared by its workflow and its client. Workflow-safe. */
export const EVIDENCE_PACK_WORKFLOW =
  'evidencePackWorkflow' as const satisfies keyof typeof import('./workflows');
/** The kind an evidence pack's command carries in workflow_commands. */
export const EVIDENCE_PACK_KIND = 'evidence_pack' as const;
export const evidencePackWorkflowId = (id: string) => `${EVIDENCE_PACK_KIND}/${id}`;

export interface EvidencePackInput {
  packId: string;
  workspaceId: string;
}
