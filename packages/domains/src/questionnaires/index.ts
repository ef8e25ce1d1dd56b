import type { DomainModule } from '../module';
import { questionnaireRoutes } from './routes';

export const questionnairesModule: DomainModule = {
  name: 'questionnaires',
  routes: questionnaireRoutes,
};
