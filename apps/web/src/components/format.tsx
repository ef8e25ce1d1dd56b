import { Badge, type MantineColor } from '@mantine/core';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A timestamp in the viewer's time zone; the ISO value is in the title and dateTime attribute. */
export function DateTime({ value, date }: { value: string | null | undefined; date?: boolean }) {
  if (!value) return <span>—</span>;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return <span>{value}</span>;
  return (
    <time dateTime={d.toISOString()} title={d.toISOString()}>
      {(date ? dateOnly : dateTime).format(d)}
    </time>
  );
}

export const viewerTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const STATUS_COLORS: Record<string, MantineColor> = {
  OVERDUE: 'red',
  EXPIRED: 'red',
  REJECTED: 'red',
  REVOKED: 'gray',
  FAILED: 'red',
  ESCALATED: 'orange',
  EXPIRING_SOON: 'orange',
  PENDING_APPROVAL: 'yellow',
  PENDING: 'blue',
  OPEN: 'blue',
  NOTIFIED: 'blue',
  IN_PROGRESS: 'cyan',
  DRAFT: 'gray',
  ACKNOWLEDGED: 'teal',
  COMPLETED: 'green',
  APPROVED: 'green',
  ACTIVE: 'green',
  RESOLVED: 'green',
  CLOSED: 'gray',
  WAIVED: 'gray',
  SKIPPED: 'gray',
  SUPERSEDED: 'gray',
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span>—</span>;
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light" miw="max-content">
      {status.replaceAll('_', ' ')}
    </Badge>
  );
}

export function LevelBadge({ level }: { level: string | null | undefined }) {
  if (!level) return <span>—</span>;
  const color = level === 'L1' ? 'yellow' : level === 'L2' ? 'orange' : 'red';
  return (
    <Badge color={color} variant="light" aria-label={`Escalation level ${level}`}>
      {level}
    </Badge>
  );
}

export const percent = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v}%`);
