import { env } from "cloudflare:workers";

/** A statement some code prepared on a D1 binding, with the values it last bound to it. */
export interface RecordedQuery {
  sql: string;
  params: unknown[];
}

type Prepare = (this: D1Database, sql: string) => D1PreparedStatement;
type Bind = (this: D1PreparedStatement, ...values: unknown[]) => D1PreparedStatement;

/**
 * Records every statement prepared on any D1 binding of this isolate, the Worker's and the
 * Durable Objects' alike (they share the classes), until `stop()`. It calls through to the real
 * D1, so what runs is unchanged: a spy, not a stand-in.
 */
export function recordD1Queries() {
  const databaseClass = Object.getPrototypeOf(env.DB) as { prepare: Prepare };
  const statementClass = Object.getPrototypeOf(env.DB.prepare("SELECT 1")) as { bind: Bind };
  const { prepare } = databaseClass;
  const { bind } = statementClass;
  const sqlOf = new WeakMap<D1PreparedStatement, string>();
  const queries = new Map<string, unknown[]>();

  databaseClass.prepare = function recordPrepare(sql) {
    const statement = prepare.call(this, sql);
    sqlOf.set(statement, sql);
    if (!queries.has(sql)) queries.set(sql, []);
    return statement;
  };
  statementClass.bind = function recordBind(...values) {
    const statement = bind.apply(this, values);
    const sql = sqlOf.get(this);
    if (sql !== undefined) {
      sqlOf.set(statement, sql);
      queries.set(sql, values);
    }
    return statement;
  };

  return {
    queries: (): RecordedQuery[] => [...queries].map(([sql, params]) => ({ sql, params })),
    stop() {
      databaseClass.prepare = prepare;
      statementClass.bind = bind;
    },
  };
}

/** SQLite's plan for a statement, one line per step (`SCAN t`, `SEARCH t USING INDEX i (...)`). */
export async function queryPlan({ sql, params }: RecordedQuery): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((step) => step.detail);
}
