// One consistent read of the workspace for a pack: a REPEATABLE READ, READ ONLY transaction
// on its own connection, read through server-side cursors in batches, so every section
// sees the same instant and no section is ever held in memory whole.
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Pool, PoolClient } from 'pg';
import type { Db } from '../db';
import * as schema from '../schema';

export class Snapshot {
  private cursors = 0;
  readonly db: Db;

  private constructor(private readonly client: PoolClient) {
    this.db = drizzle(client, { schema }) as unknown as Db;
  }

  static async open(pool: Pool): Promise<Snapshot> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // Cursors fetch in small batches; copying evidence leaves the transaction idle between them.
      await client.query("SET LOCAL idle_in_transaction_session_timeout = '10min'");
      // A pack is a background job: its sorts and joins over a large workspace may take longer
      // than an API request's statement timeout.
      await client.query("SET LOCAL statement_timeout = '10min'");
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    return new Snapshot(client);
  }

  async query<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.client.query(text, values)).rows as T[];
  }

  /** Rows of `text`, fetched `batch` at a time through a cursor. */
  async *rows<T>(
    text: string,
    values: unknown[] = [],
    batch = 1000,
    opts: { hashJoins?: boolean } = {},
  ): AsyncGenerator<T> {
    const name = `pack_cursor_${++this.cursors}`;
    // A join of two large sets on an expression is misestimated; a nested loop over it is quadratic.
    if (opts.hashJoins) await this.client.query('SET LOCAL enable_nestloop = off');
    try {
      await this.client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, values);
    } finally {
      if (opts.hashJoins) await this.client.query('SET LOCAL enable_nestloop = on');
    }
    try {
      for (;;) {
        const r = await this.client.query(`FETCH ${batch} FROM ${name}`);
        for (const row of r.rows) yield row as T;
        if (r.rows.length < batch) break;
      }
    } finally {
      await this.client.query(`CLOSE ${name}`).catch(() => undefined);
    }
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.query('ROLLBACK');
      this.client.release();
    } catch (err) {
      this.client.release(err as Error);
    }
  }
}
