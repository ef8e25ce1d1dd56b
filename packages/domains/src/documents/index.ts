import type { DomainModule } from '../module';
import { documentRoutes } from './routes';

export const documentsModule: DomainModule = {
  name: 'documents',
  routes: documentRoutes,
};
