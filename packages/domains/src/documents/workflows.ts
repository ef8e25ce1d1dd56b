// Deterministic workflow code for the documents domain.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { DocumentActivities } from './activities';
import type { DocumentExtractionInput } from './signals';

const { extractDocumentMetadata, recordExtractionFailure } = proxyActivities<DocumentActivities>({
  // the activity waits for a thread slot, reads the object, extracts (DOCUMENT_EXTRACTION_TIMEOUT_MS
  // at most 4 minutes) and may ask the summariser (at most 1 minute)
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * One workflow per stored version (`document/<version id>`), started through the
 * workflow-command outbox in the transaction that stored the version. It runs
 * extractDocumentMetadata, which re-reads the version and records DONE or FAILED itself;
 * if the activity keeps failing (storage down through every retry) the version is
 * recorded FAILED with the last error. Returns the status left on the version.
 */
export async function documentExtractionWorkflow(input: DocumentExtractionInput): Promise<string> {
  try {
    return (await extractDocumentMetadata(input)).status;
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const message =
      cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : 'extraction failed';
    return (await recordExtractionFailure(input, `Extraction failed after retries: ${message}`)).status;
  }
}
