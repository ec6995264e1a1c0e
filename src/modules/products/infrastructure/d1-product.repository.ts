import { and, eq, getTableColumns, gte, lte, type SQL, sql } from "drizzle-orm";
import { openDatabase } from "../../../db/client";
import { eventsOf } from "../../../db/domain-events.queries";
import {
  after,
  type CursorValue,
  decodeCursor,
  orderBy,
  type SortKey,
  toPage,
} from "../../../db/keyset-pagination";
import { preparedQuery } from "../../../db/prepared-query";
import { eventLogClient } from "../../../eventlog/event-log.client";
import { type DomainError, invalid } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import type { ProductRepository, ProductSearch } from "../application/product.repository";
import type { ProductView } from "../application/product.view";
import { PRODUCT_AGGREGATE } from "./product.aggregate-definition";
import { type ProductRow, products } from "./products.table";

/**
 * 0 when the search words match the product's name, 1 when only its description. Taken from
 * bm25 with the description weighted 0, whose sign depends on the row and the query alone. Raw
 * bm25 scores are not used to order pages: they shift with every catalogue write (they depend
 * on row counts and average lengths), so a cursor holding one would skip or repeat results.
 */
const NAME_MISS = sql<number>`(CASE WHEN bm25(products_fts, 1.0, 0.0) < 0 THEN 0 ELSE 1 END)`;

type Ordering = {
  tag: string;
  keys: SortKey[];
  valuesOf: (row: ProductRow & { rank: number }) => CursorValue[];
};

const by = (
  column: SortKey["column"],
  tag: string,
  descending: boolean,
  value: (row: ProductRow & { rank: number }) => CursorValue,
): Ordering => {
  const direction = descending ? "desc" : "asc";
  return {
    tag,
    // The id breaks ties, so equal prices or names still page in one stable order.
    keys: [
      { column, direction },
      { column: products.id, direction },
    ],
    valuesOf: (row) => [value(row), row.id],
  };
};

/** Name matches first, then newest first: ranked, and stable while the catalogue changes. */
const RELEVANCE: Ordering = {
  tag: "relevance",
  keys: [
    { column: NAME_MISS, direction: "asc" },
    { column: products.createdAt, direction: "desc" },
    { column: products.id, direction: "desc" },
  ],
  valuesOf: (row) => [row.rank, row.createdAt, row.id],
};

function orderingOf(criteria: ProductSearch): Ordering {
  const sort = criteria.sort ?? (criteria.q ? "relevance" : "-createdAt");
  const descending = sort.startsWith("-");
  switch (sort.replace(/^-/, "")) {
    case "relevance":
      return RELEVANCE;
    case "price":
      return by(products.priceAmount, sort, descending, (row) => row.priceAmount);
    case "name":
      return by(products.name, sort, descending, (row) => row.name);
    default:
      return by(products.createdAt, sort, descending, (row) => row.createdAt);
  }
}

/** Shorter words are dropped: a one-letter prefix matches most of the catalogue, at its cost. */
export const SEARCH_TERM_MIN_LENGTH = 2;

/**
 * The words of `q` as an FTS5 query: each quoted (so no FTS5 syntax reaches the engine) and
 * prefix-matched, all required.
 */
function matchQuery(q: string): Result<string, DomainError> {
  const words = (q.match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (word) => [...word].length >= SEARCH_TERM_MIN_LENGTH,
  );
  if (words.length === 0) {
    return err(
      invalid(
        "PRODUCT.INVALID_QUERY",
        "q",
        `must contain a word of at least ${SEARCH_TERM_MIN_LENGTH} letters or digits`,
      ),
    );
  }
  return ok(
    words
      .slice(0, 16)
      .map((word) => `"${word}"*`)
      .join(" "),
  );
}

const productById = preparedQuery((db) =>
  db
    .select()
    .from(products)
    .where(eq(products.id, sql.placeholder("id")))
    .prepare(),
);

const toView = ({
  priceAmount,
  priceCurrency,
  rank: _rank,
  ...row
}: ProductRow & { rank?: number }): ProductView => ({
  ...row,
  price: { amount: priceAmount, currency: priceCurrency },
});

const invalidCursor = () =>
  invalid("INVALID_CURSOR", "cursor", "is not a cursor this list returned");

/** The product repository over D1 (reads and search) and the products' event logs (writes). */
export function productRepository(env: Env): ProductRepository {
  const db = openDatabase(env.DB);
  const log = eventLogClient(env);

  return {
    async findById(id) {
      const row = await productById(db).get({ id });
      return row && toView(row);
    },

    async search(criteria) {
      const ordering = orderingOf(criteria);
      let position: CursorValue[] | undefined;
      if (criteria.cursor !== undefined) {
        const decoded = decodeCursor(criteria.cursor, ordering.keys.length + 1);
        if (!decoded.ok) return decoded;
        const [tag, ...values] = decoded.value;
        // A cursor is only valid for the ordering that produced it.
        if (tag !== ordering.tag) return err(invalidCursor());
        position = values;
      }
      const match = criteria.q === undefined ? undefined : matchQuery(criteria.q);
      if (match && !match.ok) return match;

      const filters: (SQL | undefined)[] = [
        eq(products.status, "active"),
        criteria.currency === undefined ? undefined : eq(products.priceCurrency, criteria.currency),
        criteria.minPrice === undefined ? undefined : gte(products.priceAmount, criteria.minPrice),
        criteria.maxPrice === undefined ? undefined : lte(products.priceAmount, criteria.maxPrice),
        match ? sql`products_fts MATCH ${match.value}` : undefined,
        // A search is driven by its matches, fewer than the catalogue: never by the sort index.
        position ? after(ordering.keys, position, { seek: !match }) : undefined,
      ];
      const columns = { ...getTableColumns(products), rank: match ? NAME_MISS : sql<number>`0` };
      const base = db.select(columns).from(products);
      const joined = match
        ? base.innerJoin(sql`products_fts`, sql`products_fts.rowid = ${products}.rowid`)
        : base;
      const rows = await joined
        .where(and(...filters))
        .orderBy(...orderBy(ordering.keys))
        .limit(criteria.limit + 1);

      const page = toPage(rows, criteria.limit, (row) => [ordering.tag, ...ordering.valuesOf(row)]);
      return ok({ items: page.items.map(toView), nextCursor: page.nextCursor });
    },

    eventsOf: (id, page) => eventsOf(db, PRODUCT_AGGREGATE, id, page),

    save: (id, command, expectedVersions) =>
      log.execute<ProductView>(PRODUCT_AGGREGATE, id, command, {
        ...(expectedVersions === undefined ? {} : { expectedVersions }),
      }),
  };
}
