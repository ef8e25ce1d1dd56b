import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction or the database itself: services take this so callers can compose transactions. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];
