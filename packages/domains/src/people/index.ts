import type { DomainModule } from '../module';
import { purgeIdempotencyKeys } from './idempotency';
import { peopleRoutes } from './routes';

/** Tenancy, members, teams, roles, tokens, settings, and the Idempotency-Key records. */
export const peopleModule: DomainModule = {
  name: 'people',
  routes: peopleRoutes,
  sweeps: [
    {
      id: 'purge-idempotency-keys',
      description: 'Delete Idempotency-Key records older than 24 hours',
      spec: { intervals: [{ every: '1 hour' as const }] },
      run: (deps) => purgeIdempotencyKeys(deps.db),
    },
  ],
};
