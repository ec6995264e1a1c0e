import { is, Param, Placeholder } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "./client";

/** A D1 statement bound from a template, ready for a batch beside drizzle's queries. */
export interface BoundStatement {
  readonly bound: D1PreparedStatement;
}

/** What a projection writes: drizzle queries, or statements bound from templates. */
export type ProjectionStatement = BatchItem<"sqlite"> | BoundStatement;

interface Template {
  readonly sql: string;
  /** Driver values, and `sql.placeholder`s (bare, or in a column's Param) to fill per use. */
  readonly params: readonly unknown[];
}

const templates = new Map<string, Template>();

/**
 * A statement that projections write on every command, built by drizzle once per isolate (and
 * `key`, which must name everything `build` depends on but the placeholders' values) instead of
 * once per use: building the SQL cost more CPU than the rest of the projection. `build` writes
 * `sql.placeholder(name)` wherever a value goes; the function returned fills them from `values`,
 * each encoded as its column encodes it (JSON columns are stringified), a missing or null value
 * as NULL, as drizzle binds the values it is given.
 */
export function statementTemplate(
  key: string,
  build: () => { toSQL(): { sql: string; params: unknown[] } },
): (db: Database, values: Readonly<Record<string, unknown>>) => BoundStatement {
  let template = templates.get(key);
  if (!template) {
    const { sql, params } = build().toSQL();
    template = { sql, params };
    templates.set(key, template);
  }
  const { sql, params } = template;
  return (db, values) => ({
    bound: db.$client.prepare(sql).bind(
      ...params.map((param) => {
        if (is(param, Placeholder)) return values[param.name] ?? null;
        if (is(param, Param) && is(param.value, Placeholder)) {
          const value = values[param.value.name];
          return value === undefined || value === null
            ? null
            : param.encoder.mapToDriverValue(value);
        }
        return param;
      }),
    ),
  });
}

/** The D1 statement of a projection statement, for `D1Database.batch`. */
export function toD1Statement(db: Database, statement: ProjectionStatement): D1PreparedStatement {
  if ("bound" in statement) return statement.bound;
  const { sql, params } = (
    statement as unknown as { toSQL(): { sql: string; params: unknown[] } }
  ).toSQL();
  return db.$client.prepare(sql).bind(...params);
}
