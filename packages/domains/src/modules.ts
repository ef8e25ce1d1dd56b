import { auditModule } from './audit/index';
import { authModule } from './auth/index';
import { automationsModule } from './automations/index';
import { certificationsModule } from './certifications/index';
import { complianceModule } from './compliance/index';
import { documentsModule } from './documents/index';
import { escalationModule } from './escalation/index';
import { eventsModule } from './events/index';
import { evidenceModule } from './evidence/index';
import type { DomainModule } from './module';
import { notificationsModule } from './notifications/index';
import { obligationsModule } from './obligations/index';
import { peopleModule } from './people/index';
import { policiesModule } from './policies/index';
import { questionnairesModule } from './questionnaires/index';
import { remindersModule } from './reminders/index';
import { reportsModule } from './reports/index';
import { trainingModule } from './training/index';
import { webhooksModule } from './webhooks/index';

/** Every domain module, in a fixed order. */
export const DOMAIN_MODULES: DomainModule[] = [
  peopleModule,
  auditModule,
  authModule,
  obligationsModule,
  escalationModule,
  notificationsModule,
  trainingModule,
  certificationsModule,
  policiesModule,
  remindersModule,
  reportsModule,
  questionnairesModule,
  documentsModule,
  evidenceModule,
  eventsModule,
  complianceModule,
  webhooksModule,
  automationsModule,
];
