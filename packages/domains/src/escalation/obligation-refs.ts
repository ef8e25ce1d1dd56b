import { developerCertifications } from '../certifications/schema';
import type { ObligationKind } from '../obligations/rules';
import { acknowledgementObligations } from '../policies/schema';
import { type WorkspaceRows, workspaceRows } from '../refs';
import { reminderInstances } from '../reminders/schema';
import { trainingAssignments } from '../training/schema';
import { tickets } from './schema';

/** Where each obligation kind's rows live, so a ticket's obligation_id is checked against the workspace. */
export const OBLIGATION_ROWS: Record<ObligationKind, WorkspaceRows> = {
  training_assignment: workspaceRows(trainingAssignments, 'training assignment'),
  member_certification: workspaceRows(developerCertifications, 'member certification'),
  reminder_instance: workspaceRows(reminderInstances, 'reminder instance'),
  acknowledgement_request: workspaceRows(acknowledgementObligations, 'acknowledgement request'),
  ticket: workspaceRows(tickets, 'ticket'),
};
