import { type AckHistoryEntry, contentSha256 } from './rules';

export const HASH_A = contentSha256('policy text A\n');
export const HASH_B = contentSha256('policy text B\n');

export function ack(
  memberId: string,
  hash: string,
  at: string,
  versionId = `v-${hash.slice(0, 6)}`,
): AckHistoryEntry {
  return {
    memberId,
    policyId: 'p1',
    policyVersionId: versionId,
    contentSha256: hash,
    acknowledgedAt: new Date(at),
  };
}
