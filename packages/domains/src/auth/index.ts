import type { DomainModule } from '../module';
import { authRoutes } from './routes';
import { purgeAuthRecords } from './service';

/** Sign-in by one-time email link, browser sessions (cookie + CSRF token), their rate limits. */
export const authModule: DomainModule = {
  name: 'auth',
  routes: authRoutes,
  sweeps: [
    {
      id: 'purge-auth-records',
      description: 'Delete sign-in links, sessions and rate-limit windows that ended over a day ago',
      spec: { intervals: [{ every: '1 hour' as const }] },
      run: async (deps) => ({ deleted: await purgeAuthRecords(deps.db) }),
    },
  ],
};
