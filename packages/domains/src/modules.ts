import { auditModule } from './audit/index';
import { authModule } from './auth/index';
import { certificationsModule } from './certifications/index';
import { documentsModule } from './documents/index';
import { escalationModule } from './escalation/index';
import type { DomainModule } from './module';
import { notificationsModule } from './notifications/index';
import { obligationsModule } from './obligations/index';
import { peopleModule } from './people/index';
import { policiesModule } from './policies/index';
import { questionnairesModule } from './questionnaires/index';
import { remindersModule } from './reminders/index';
import { reportsModule } from './reports/index';
import { trainingModule } from './training/index';

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
];
