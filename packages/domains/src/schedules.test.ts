import { SWEEP_SCHEDULES } from './schedules';
import { SWEEPS } from './sweeps';

describe('sweeps', () => {
  it('are declared once each: one schedule per sweep, ids unique, and every sweep the spec names', () => {
    const ids = SWEEP_SCHEDULES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(SWEEPS).sort()).toEqual([...ids].sort());
    for (const id of [
      'check-approaching-due-assignments',
      'check-overdue-assignments',
      'check-expiring-certs',
      'check-expired-certs',
      'flag-overdue-reminders',
      'send-daily-reminder-digest',
    ])
      expect(ids).toContain(id);
  });
});
