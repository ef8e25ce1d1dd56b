import { newId } from '@vigil/kernel/ids';
import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** Shared column builders: every table has a UUIDv7 id and a workspace_id. */
export const idColumn = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => newId());
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const tstz = (name: string) => timestamp(name, { withTimezone: true });
