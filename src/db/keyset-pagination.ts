import { and, asc, desc, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { type DomainError, invalid } from "../kernel/domain-error";
import { err, ok, type Result } from "../kernel/result";

/** One page of a list and the opaque cursor of the next page (null on the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export type CursorValue = string | number;

/**
 * A sort key: a column (or an expression such as a search rank) and its direction. The last key
 * must be unique (e.g. the id).
 */
export interface SortKey {
  readonly column: SQLiteColumn | SQL;
  readonly direction: "asc" | "desc";
}

/** The answer to a cursor that no list of this API returned, or that another list returned. */
export const invalidCursor = (): DomainError =>
  invalid("INVALID_CURSOR", "cursor", "is not a cursor this list returned");

/** The longest cursor a list accepts: room for a 200-character name in any script. */
export const CURSOR_MAX_LENGTH = 2048;

/** The cursor is the sort-key values of the last row, as base64url UTF-8 JSON: opaque, stateless. */
export const encodeCursor = (values: readonly CursorValue[]): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(values))))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

export function decodeCursor(raw: string, arity: number): Result<CursorValue[], DomainError> {
  try {
    const bytes = Uint8Array.from(atob(raw.replaceAll("-", "+").replaceAll("_", "/")), (c) =>
      c.charCodeAt(0),
    );
    const json = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    const values: unknown = JSON.parse(json);
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((value) => typeof value === "string" || typeof value === "number")
    ) {
      return ok(values);
    }
  } catch {
    // fall through: any decoding failure is the client's bad cursor
  }
  return err(invalidCursor());
}

/** ORDER BY terms for the keys. */
export const orderBy = (keys: readonly SortKey[]): SQL[] =>
  keys.map((key) => (key.direction === "asc" ? asc(key.column) : desc(key.column)));

/**
 * The rows strictly after `values` in the keys' order. Stable under ties because the last key is
 * unique, and under concurrent inserts because it compares values, not offsets.
 *
 * Keys that all run one way compare as one row value, `(a, b) > (x, y)`: SQLite seeks an index
 * on (a, b) straight to the cursor, so a deep page reads what it returns. The expanded form
 * below reads every row before the cursor again, so it is kept for mixed directions and for
 * `seek: false`: a query driven by another index (a full-text match) filters its few rows by the
 * cursor, where a seekable cursor would tempt SQLite into walking the whole sort index instead.
 */
export function after(
  keys: readonly SortKey[],
  values: readonly CursorValue[],
  { seek = true }: { seek?: boolean } = {},
): SQL {
  const direction = keys[0]?.direction;
  if (seek && keys.length > 1 && keys.every((key) => key.direction === direction)) {
    const columns = sql.join(
      keys.map((key) => key.column),
      sql`, `,
    );
    const cursor = sql.join(
      values.map((value) => sql`${value}`),
      sql`, `,
    );
    return direction === "asc" ? sql`(${columns}) > (${cursor})` : sql`(${columns}) < (${cursor})`;
  }
  const branches = keys.map((key, index) => {
    const value = values[index] as CursorValue;
    const beyond =
      key.direction === "asc" ? sql`${key.column} > ${value}` : sql`${key.column} < ${value}`;
    const equalBefore = keys.slice(0, index).map((prior, i) => sql`${prior.column} = ${values[i]}`);
    return and(...equalBefore, beyond) as SQL;
  });
  return or(...branches) as SQL;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only proves there is a next page.
 */
export function toPage<Row>(
  rows: readonly Row[],
  limit: number,
  cursorOf: (row: Row) => readonly CursorValue[],
): Page<Row> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
