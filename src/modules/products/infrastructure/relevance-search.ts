import { and, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { decodeCursor, invalidCursor, type Page, toPage } from "../../../db/keyset-pagination";
import type { DomainError } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import { type ProductRow, products } from "./products.table";
import { type NameMatch, rankedGroupMatch } from "./search-match";

/**
 * Search results in relevance order: products whose name holds one of the words first, then those
 * that match by description only; newest first within each, by their row in D1 (rows are added
 * as products are created).
 *
 * Each group is one full-text query walked in descending rowid, which FTS5 reads straight from
 * its index and stops after a page: a word in a tenth of the catalogue costs what a rare one
 * does, at any catalogue size (ADR 0033), once its prefix is expanded to exact terms (ADR 0036).
 * Ordering by a score, or by a column of `products`, would read and sort every match first.
 *
 * Each group's query: every word anywhere, and one of them in the name (`AND`) or none (`NOT`).
 */
const GROUPS: readonly NameMatch[] = ["AND", "NOT"];

const TAG = "relevance";

/** Where a page starts: the group, and the rowid of the last product of the page before. */
function startOf(
  cursor: string | undefined,
): Result<{ group: number; below?: number }, DomainError> {
  if (cursor === undefined) return ok({ group: 0 });
  const decoded = decodeCursor(cursor, 3);
  if (!decoded.ok) return decoded;
  const [tag, group, below] = decoded.value;
  if (tag !== TAG || (group !== 0 && group !== 1) || !Number.isSafeInteger(below)) {
    return err(invalidCursor());
  }
  return ok({ group, below: below as number });
}

/**
 * A page of the active products matching every word of `words` (letters and digits, each
 * matched as a prefix), narrowed by `filters` on the products table.
 */
export async function searchByRelevance(
  db: Database,
  words: readonly string[],
  filters: readonly (SQL | undefined)[],
  cursor: string | undefined,
  limit: number,
): Promise<Result<Page<ProductRow>, DomainError>> {
  const start = startOf(cursor);
  if (!start.ok) return start;
  const found: { row: ProductRow; group: number; rowid: number }[] = [];
  for (let group = start.value.group; group < GROUPS.length && found.length <= limit; group++) {
    const below = group === start.value.group ? start.value.below : undefined;
    const rows = await db
      .select({ ...getTableColumns(products), rowid: sql<number>`products_fts.rowid` })
      .from(products)
      .innerJoin(sql`products_fts`, sql`products_fts.rowid = ${products}.rowid`)
      .where(
        and(
          sql`products_fts MATCH ${rankedGroupMatch(words, GROUPS[group] as NameMatch)}`,
          below === undefined ? undefined : sql`products_fts.rowid < ${below}`,
          ...filters,
        ),
      )
      .orderBy(sql`products_fts.rowid DESC`)
      .limit(limit + 1 - found.length);
    found.push(...rows.map(({ rowid, ...row }) => ({ row, group, rowid })));
  }
  const page = toPage(found, limit, (item) => [TAG, item.group, item.rowid]);
  return ok({ items: page.items.map((item) => item.row), nextCursor: page.nextCursor });
}
