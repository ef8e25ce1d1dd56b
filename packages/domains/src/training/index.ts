import type { DomainModule } from '../module';
import { onMemberScopeChanged } from './assign';
import { trainingAssignmentKind } from './kind';
import { trainingRoutes } from './routes';
import { trainingSweeps } from './sweeps';

export const trainingModule: DomainModule = {
  name: 'training',
  routes: trainingRoutes,
  kinds: [trainingAssignmentKind],
  hooks: { memberScopeChanged: [onMemberScopeChanged] },
  sweeps: trainingSweeps,
};
