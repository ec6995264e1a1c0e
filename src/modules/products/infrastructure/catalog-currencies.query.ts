import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { products } from "./products.table";

/**
 * The currencies the active products among `ids` are priced in, from the read model: for a
 * quick refusal of an order that mixes currencies. The product's own log still decides each
 * reservation (an order's currency must match it there too).
 */
export async function catalogCurrencies(db: Database, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectDistinct({ currency: products.priceCurrency })
    .from(products)
    .where(and(inArray(products.id, [...ids]), eq(products.status, "active")));
  return rows.map((row) => row.currency).sort();
}
