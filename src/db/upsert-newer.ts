import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";
import { type BoundStatement, statementTemplate } from "./statement-template";

/**
 * An upsert for projections: inserts the row, or overwrites every column but the key and
 * `keep` columns, and only when the incoming `version` is newer, so a late or repeated
 * projection never rolls a read model back. The SQL is built once per table and set of given
 * columns (a template), then bound to the row's values.
 */
export function upsertNewer<T extends SQLiteTable>(
  db: Database,
  table: T,
  row: T["$inferInsert"],
  options: { key: SQLiteColumn; version: SQLiteColumn; keep?: readonly SQLiteColumn[] },
): BoundStatement {
  const values = row as Record<string, unknown>;
  // Columns given as undefined are left out, as drizzle leaves them out of an insert.
  const given = Object.keys(values).filter((property) => values[property] !== undefined);
  const key = [
    "upsertNewer",
    getTableName(table),
    given.join(","),
    options.key.name,
    options.version.name,
    ...(options.keep ?? []).map((column) => column.name),
  ].join("|");
  return statementTemplate(key, () => {
    const untouched = new Set<SQLiteColumn>([options.key, ...(options.keep ?? [])]);
    const set: Record<string, SQL> = {};
    for (const [property, column] of Object.entries(getTableColumns(table))) {
      if (!untouched.has(column)) set[property] = sql.raw(`excluded."${column.name}"`);
    }
    const placeholders = Object.fromEntries(given.map((name) => [name, sql.placeholder(name)]));
    return db
      .insert(table)
      .values(placeholders as T["$inferInsert"])
      .onConflictDoUpdate({
        target: options.key,
        set,
        setWhere: sql`excluded.${sql.identifier(options.version.name)} > ${options.version}`,
      });
  })(db, values);
}
