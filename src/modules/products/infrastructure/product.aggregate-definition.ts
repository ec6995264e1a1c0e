import { upsertNewer } from "../../../db/upsert-newer";
import type { AggregateDefinition } from "../../../eventlog/aggregate-definition";
import { type ProductView, toProductView } from "../application/product.view";
import { type ProductState, productDecider } from "../domain/product.aggregate";
import type { ProductCommand } from "../domain/product.commands";
import { skuTaken } from "../domain/product.errors";
import type { ProductEvent } from "../domain/product.events";
import { products } from "./products.table";

export const PRODUCT_AGGREGATE = "product";

/** How the event log runs, shows, guards and projects a product. */
export const productAggregate: AggregateDefinition<
  ProductState,
  ProductCommand,
  ProductEvent,
  ProductView
> = {
  type: PRODUCT_AGGREGATE,
  ...productDecider,
  view: (state, version) => (state ? toProductView(state, version) : null),
  // An archived product keeps its SKU, so old orders and invoices still name one product.
  claims: (state) => (state ? [{ scope: "product-sku", value: state.sku }] : []),
  claimTaken: skuTaken,
  snapshotTag: "product/2",
  projectView: (db, { price, ...view }) => [
    upsertNewer(
      db,
      products,
      { ...view, priceAmount: price.amount, priceCurrency: price.currency },
      { key: products.id, version: products.version, keep: [products.createdAt] },
    ),
  ],
};
