import { monolithDb } from "./shape";

/** A statement some code prepared on a D1 binding, with the values it last bound to it. */
export interface RecordedQuery {
  sql: string;
  params: unknown[];
}

type Prepare = (this: D1Database | D1DatabaseSession, sql: string) => D1PreparedStatement;
type Bind = (this: D1PreparedStatement, ...values: unknown[]) => D1PreparedStatement;

/**
 * Records every statement prepared on any D1 binding of this isolate, the Worker's and the
 * Durable Objects' alike (they share the classes), until `stop()`. It calls through to the real
 * D1, so what runs is unchanged: a spy, not a stand-in.
 */
export function recordD1Queries() {
  // The services shape's D1 calls run in the services' isolates, out of this spy's reach.
  const db = monolithDb("recordD1Queries");
  // The code prepares on sessions (env.DB.withSession), a class of their own; the binding's
  // class too, for what tests prepare themselves.
  const preparers = [
    Object.getPrototypeOf(db) as { prepare: Prepare },
    Object.getPrototypeOf(db.withSession("first-unconstrained")) as { prepare: Prepare },
  ];
  const statementClass = Object.getPrototypeOf(db.prepare("SELECT 1")) as { bind: Bind };
  const prepares = preparers.map((preparer) => preparer.prepare);
  const { bind } = statementClass;
  const sqlOf = new WeakMap<D1PreparedStatement, string>();
  const queries = new Map<string, unknown[]>();

  preparers.forEach((preparer, index) => {
    const prepare = prepares[index] as Prepare;
    preparer.prepare = function recordPrepare(sql) {
      const statement = prepare.call(this, sql);
      sqlOf.set(statement, sql);
      if (!queries.has(sql)) queries.set(sql, []);
      return statement;
    };
  });
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
      preparers.forEach((preparer, index) => {
        preparer.prepare = prepares[index] as Prepare;
      });
      statementClass.bind = bind;
    },
  };
}

/** SQLite's plan for a statement, one line per step (`SCAN t`, `SEARCH t USING INDEX i (...)`). */
export async function queryPlan({ sql, params }: RecordedQuery): Promise<string[]> {
  const { results } = await monolithDb("queryPlan")
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((step) => step.detail);
}
