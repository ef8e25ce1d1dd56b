// Deterministic workflow code for evidence packs.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { EvidenceActivities } from './activities';
import type { EvidencePackInput } from './signals';

/** The long build: heartbeats while it streams; a retry starts the zip again from scratch. */
const { buildEvidencePack } = proxyActivities<EvidenceActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 3 },
});

const { failEvidencePack } = proxyActivities<EvidenceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds' },
});

/**
 * One workflow per pack (`evidence_pack/<id>`): builds the zip through one activity, which
 * reads the pack's row first (a READY pack is not built again). When every attempt failed,
 * the row is marked FAILED with the reason.
 */
export async function evidencePackWorkflow(input: EvidencePackInput): Promise<string> {
  try {
    return await buildEvidencePack(input);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const reason =
      cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
    await failEvidencePack(input, reason || 'the pack could not be written');
    return 'FAILED';
  }
}
