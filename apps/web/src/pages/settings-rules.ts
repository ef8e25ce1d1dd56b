import { ladderProblems, type Rung } from '../components/LadderEditor';
import { durationProblem, isClock, isIntIn } from '../components/validation';
import type { SettingsBody } from './Settings';

/** The API's settings rules (people/api-schemas.ts settingsBody), keyed like its field errors. */
export function settingsProblems(b: SettingsBody): Record<string, string> {
  const out: Record<string, string> = {};
  const int = (field: string, v: number | undefined, min: number, max: number, unit: string) => {
    if (v === undefined || !isIntIn(v, min, max))
      out[field] = `A whole number of ${unit} from ${min} to ${max}`;
  };
  int('ack_deadline_days', b.ack_deadline_days, 1, 365, 'days');
  int('cert_expiring_days', b.cert_expiring_days, 1, 365, 'days');
  int('reminder_interval_hours', b.reminder_interval_hours, 1, 720, 'hours');
  int('digest_hour_utc', b.digest_hour_utc, 0, 23, 'hours');
  const offsets = b.reminder_offsets ?? [];
  if (offsets.length > 10) out.reminder_offsets = 'At most 10 offsets';
  offsets.forEach((o, i) => {
    const p = durationProblem(o, true);
    if (p) out[`reminder_offsets.${i}`] = `${o}: ${p}`;
  });
  if (b.quiet_hours) {
    if (!isClock(b.quiet_hours.start)) out['quiet_hours.start'] = 'Expected HH:MM';
    if (!isClock(b.quiet_hours.end)) out['quiet_hours.end'] = 'Expected HH:MM';
  }
  if (b.periodic_ack) {
    int('periodic_ack.month', b.periodic_ack.month, 1, 12, 'months');
    int('periodic_ack.day', b.periodic_ack.day, 1, 28, 'days');
  }
  const t = b.compliance_thresholds;
  if (t) {
    int('compliance_thresholds.at_risk', t.at_risk, 1, 1_000_000, 'items');
    int('compliance_thresholds.non_compliant', t.non_compliant, 1, 1_000_000, 'items');
    if (!out['compliance_thresholds.non_compliant'] && t.non_compliant < t.at_risk)
      out['compliance_thresholds.non_compliant'] = 'non_compliant must be at least at_risk';
  }
  Object.assign(out, ladderProblems((b.default_ladder ?? []) as Rung[], 'default_ladder', 0));
  return out;
}
