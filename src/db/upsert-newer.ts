import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

/**
 * An upsert for projections: inserts the row, or overwrites every column but the key and
 * `keep` columns, and only when the incoming `version` is newer, so a late or repeated
 * projection never rolls a read model back.
 */
export function upsertNewer<T extends SQLiteTable>(
  db: Database,
  table: T,
  row: T["$inferInsert"],
  options: { key: SQLiteColumn; version: SQLiteColumn; keep?: readonly SQLiteColumn[] },
) {
  const untouched = new Set<SQLiteColumn>([options.key, ...(options.keep ?? [])]);
  const set: Record<string, SQL> = {};
  for (const [property, column] of Object.entries(getTableColumns(table))) {
    if (!untouched.has(column)) set[property] = sql.raw(`excluded."${column.name}"`);
  }
  return db
    .insert(table)
    .values(row)
    .onConflictDoUpdate({
      target: options.key,
      set,
      setWhere: sql`excluded.${sql.identifier(options.version.name)} > ${options.version}`,
    });
}
