import type { DomainModule } from '../module';
import { auditRoutes } from './routes';

/** The append-only, hash-chained audit log. */
export const auditModule: DomainModule = { name: 'audit', routes: auditRoutes };
