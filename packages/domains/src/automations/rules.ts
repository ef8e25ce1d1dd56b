/**
 * Automations, pure: which events an automation's conditions match, and the templates of its
 * actions. The dispatcher (dispatch.ts) runs the actions.
 */

/**
 * The condition fields: each names the values it accepts, and an event matches when every
 * field's value in its payload (or context: the subject's title, team, severity) is one of them.
 * `status` of a compliance change is its `after`; `team` is the team id.
 */
export const CONDITION_FIELDS = [
  'category',
  'priority',
  'severity',
  'domain',
  'team',
  'level',
  'status',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export type Conditions = Partial<Record<ConditionField, string[]>>;

export const NOTIFY_RECIPIENTS = ['OWNER', 'MANAGER', 'TEAM_LEAD', 'ESCALATION_CONTACTS'] as const;
export type NotifyRecipient = (typeof NOTIFY_RECIPIENTS)[number];

export type AutomationAction =
  | {
      type: 'notify';
      recipients: NotifyRecipient[];
      member_ids?: string[];
      channels: Array<'email' | 'slack'>;
      subject?: string;
      message?: string;
    }
  | { type: 'create_ticket'; title: string; description?: string; severity?: string; team_id?: string }
  | { type: 'webhook'; endpoint_id: string };

/** What conditions and templates read of an event. */
export interface EventContext {
  event: { id: string; type: string; occurred_at: string };
  subject: { type: string; id: string; title?: string | null };
  payload: Record<string, unknown>;
  team_id?: string | null;
  severity?: string | null;
}

const fieldValue = (c: EventContext, field: ConditionField): unknown => {
  const p = c.payload;
  switch (field) {
    case 'team':
      return p.team_id ?? c.team_id ?? null;
    case 'status':
      return p.after ?? p.status ?? null;
    case 'severity':
      return p.severity ?? c.severity ?? null;
    default:
      return p[field] ?? null;
  }
};

/** True when every listed field holds one of its accepted values (an empty set of conditions matches all). */
export function matches(conditions: Conditions, c: EventContext): boolean {
  for (const field of CONDITION_FIELDS) {
    const accepted = conditions[field];
    if (!accepted) continue;
    const v = fieldValue(c, field);
    if (typeof v !== 'string' || !accepted.includes(v)) return false;
  }
  return true;
}

const lookup = (c: EventContext, path: string): unknown => {
  let cur: unknown = c;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
};

/** `{{event.type}}`, `{{subject.title}}`, `{{payload.level}}`... replaced by the value (empty if absent). */
export function renderTemplate(template: string, c: EventContext, maxLength = 500): string {
  const out = template.replace(/\{\{\s*([a-z_]+(?:\.[a-z_0-9]+)*)\s*\}\}/gi, (_m, path: string) => {
    const v = lookup(c, path);
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
  return out.length > maxLength ? out.slice(0, maxLength) : out;
}

/** The template paths an author may use (validated when an automation is saved). */
export const TEMPLATE_ROOTS = ['event', 'subject', 'payload'] as const;
export function templateProblem(template: string): string | null {
  for (const m of template.matchAll(/\{\{\s*([^}]*)\s*\}\}/g)) {
    const path = (m[1] ?? '').trim();
    if (!/^[a-z_]+(\.[a-z_0-9]+)*$/i.test(path)) return `Bad placeholder {{${path}}}`;
    const root = path.split('.')[0] as string;
    if (!(TEMPLATE_ROOTS as readonly string[]).includes(root))
      return `Placeholder {{${path}}} must start with event., subject. or payload.`;
  }
  return null;
}
