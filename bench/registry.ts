import { ackCampaign } from './ack-campaign';
import { bulkAssign } from './bulk-assign';
import { escalationLag } from './escalation-lag';
import { evidencePack } from './evidence-pack';
import { overdueSweep } from './overdue-sweep';
import { soak } from './soak';
import { stepCost } from './step-cost';

/** Benchmarks by name; each issue that asks for one registers it here. */
export const benchmarks: Record<string, (args: string[]) => Promise<void>> = {
  'escalation-lag': escalationLag,
  'bulk-assign': bulkAssign,
  'ack-campaign': ackCampaign,
  'overdue-sweep': overdueSweep,
  soak,
  'evidence-pack': evidencePack,
  'step-cost': stepCost,
};
