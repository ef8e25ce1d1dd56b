import { certificationsModule } from './certifications/index';
import { documentsModule } from './documents/index';
import type { DomainModule } from './module';
import { policiesModule } from './policies/index';
import { questionnairesModule } from './questionnaires/index';
import { remindersModule } from './reminders/index';
import { reportsModule } from './reports/index';
import { trainingModule } from './training/index';

/** Every domain module, in a fixed order. */
export const DOMAIN_MODULES: DomainModule[] = [
  trainingModule,
  certificationsModule,
  policiesModule,
  remindersModule,
  reportsModule,
  questionnairesModule,
  documentsModule,
];
