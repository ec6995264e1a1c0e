import { DurableObject } from "cloudflare:workers";

/**
 * One shard of the stream registry: the names of event-log streams, in the shard's own SQLite
 * storage. It lists every stream whether or not D1 still holds a row of it, so the healing
 * sweep can find, after a D1 restore, an aggregate that left nothing in D1 (ADR 0023).
 */
export class StreamRegistry extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Synchronous and idempotent: no need to block the object's first request on it.
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS streams (name TEXT PRIMARY KEY) WITHOUT ROWID",
    );
  }

  /** Lists a stream; listing it again changes nothing. */
  register(name: string): void {
    this.ctx.storage.sql.exec("INSERT INTO streams (name) VALUES (?) ON CONFLICT DO NOTHING", name);
  }

  /** Removes a stream that will never hold an event (its first command died, and it was erased). */
  unregister(name: string): void {
    this.ctx.storage.sql.exec("DELETE FROM streams WHERE name = ?", name);
  }

  /** The next `limit` stream names after `after`, in order. */
  page(after: string, limit: number): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM streams WHERE name > ? ORDER BY name LIMIT ?",
        after,
        limit,
      )
      .toArray()
      .map((row) => row.name);
  }
}
