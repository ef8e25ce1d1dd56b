import { formatInTimeZone } from 'date-fns-tz';
import type { ScheduleSpec } from './rules';

export const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
export const local = (d: Date, tz: string) => formatInTimeZone(d, tz, "yyyy-MM-dd'T'HH:mm");
export const spec = (partial: Partial<ScheduleSpec> & Pick<ScheduleSpec, 'frequency'>): ScheduleSpec => ({
  timezone: 'UTC',
  startDate: new Date('2024-01-01T09:00:00Z'),
  ...partial,
});
