import { and, eq, getTableColumns, gte, lte, type SQL, sql } from "drizzle-orm";
import type { D1Session } from "../../../db/d1-session";
import { eventsOf } from "../../../db/domain-events.queries";
import {
  after,
  type CursorValue,
  decodeCursor,
  invalidCursor,
  orderBy,
  type SortKey,
  toPage,
} from "../../../db/keyset-pagination";
import { preparedQuery } from "../../../db/prepared-query";
import { eventLogClient } from "../../../eventlog/event-log.client";
import { type DomainError, invalid } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import type { ProductRepository, ProductSort } from "../application/product.repository";
import type { ProductView } from "../application/product.view";
import { PRODUCT_AGGREGATE } from "./product.aggregate-definition";
import { type ProductRow, products } from "./products.table";
import { searchByRelevance } from "./relevance-search";
import { prefixQuery } from "./search-match";

type Ordering = {
  tag: string;
  keys: SortKey[];
  valuesOf: (row: ProductRow) => CursorValue[];
};

const by = (
  column: SortKey["column"],
  tag: string,
  descending: boolean,
  value: (row: ProductRow) => CursorValue,
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

function orderingOf(sort: ProductSort): Ordering {
  const descending = sort.startsWith("-");
  switch (sort.replace(/^-/, "")) {
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
 * The words of `q`: letters and digits only, so no FTS5 syntax reaches the engine. Each is
 * prefix-matched; a query requires them all.
 */
function searchTerms(q: string): Result<string[], DomainError> {
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
  return ok(words.slice(0, 16));
}

const productById = preparedQuery((db) =>
  db
    .select()
    .from(products)
    .where(eq(products.id, sql.placeholder("id")))
    .prepare(),
);

const toView = ({ priceAmount, priceCurrency, ...row }: ProductRow): ProductView => ({
  ...row,
  price: { amount: priceAmount, currency: priceCurrency },
});

/** The product repository over D1 (reads and search) and the products' event logs (writes). */
export function productRepository(env: Env, d1: D1Session): ProductRepository {
  const db = d1.db();
  const log = eventLogClient(env, d1);

  return {
    async findById(id) {
      const row = await productById(db).get({ id });
      return row && toView(row);
    },

    async search(criteria) {
      const terms = criteria.q === undefined ? undefined : searchTerms(criteria.q);
      if (terms && !terms.ok) return terms;
      const filters: (SQL | undefined)[] = [
        eq(products.status, "active"),
        criteria.currency === undefined ? undefined : eq(products.priceCurrency, criteria.currency),
        criteria.minPrice === undefined ? undefined : gte(products.priceAmount, criteria.minPrice),
        criteria.maxPrice === undefined ? undefined : lte(products.priceAmount, criteria.maxPrice),
      ];
      if (terms && criteria.sort === undefined) {
        const page = await searchByRelevance(
          db,
          terms.value,
          filters,
          criteria.cursor,
          criteria.limit,
        );
        return page.ok ? ok({ ...page.value, items: page.value.items.map(toView) }) : page;
      }

      const ordering = orderingOf(criteria.sort ?? "-createdAt");
      let position: CursorValue[] | undefined;
      if (criteria.cursor !== undefined) {
        const decoded = decodeCursor(criteria.cursor, ordering.keys.length + 1);
        if (!decoded.ok) return decoded;
        const [tag, ...values] = decoded.value;
        // A cursor is only valid for the ordering that produced it.
        if (tag !== ordering.tag) return err(invalidCursor());
        position = values;
      }
      const base = db.select(getTableColumns(products)).from(products);
      const rows = await (terms
        ? base.innerJoin(sql`products_fts`, sql`products_fts.rowid = ${products}.rowid`)
        : base
      )
        .where(
          and(
            ...filters,
            terms ? sql`products_fts MATCH ${terms.value.map(prefixQuery).join(" ")}` : undefined,
            // A search is driven by its matches, fewer than the catalogue: never by the sort index.
            position ? after(ordering.keys, position, { seek: !terms }) : undefined,
          ),
        )
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
