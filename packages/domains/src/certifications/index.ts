import type { DomainModule } from '../module';
import { memberCertificationKind } from './kind';
import { certificationRoutes } from './routes';
import { certificationSweeps } from './sweeps';

export const certificationsModule: DomainModule = {
  name: 'certifications',
  routes: certificationRoutes,
  kinds: [memberCertificationKind],
  sweeps: certificationSweeps,
};
