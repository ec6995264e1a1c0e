import type { Money } from "../../../kernel/money";
import type { ProductDescription, ProductName } from "./product-text.value-objects";
import type { Sku } from "./sku.value-object";

/** The id is the log's own, from the decision context. */
export type CreateProduct = {
  readonly type: "CreateProduct";
  readonly sku: Sku;
  readonly name: ProductName;
  readonly description: ProductDescription;
  readonly price: Money;
  readonly stock: number;
};

/** Change any of name, description and price; an absent field stays as it is. */
export type ChangeProduct = {
  readonly type: "ChangeProduct";
  readonly name?: ProductName;
  readonly description?: ProductDescription;
  readonly price?: Money;
};

export type AdjustStock = {
  readonly type: "AdjustStock";
  readonly delta: number;
  readonly reason: string;
};

/** For the orders module: hold stock for an order, decided in the product's own log. */
export type ReserveStock = {
  readonly type: "ReserveStock";
  readonly orderId: string;
  readonly quantity: number;
  /** The order's currency: a product priced in another is refused. */
  readonly currency: string;
  /** When the order was placed (ISO-8601): a reservation may come at most an hour later. */
  readonly placedAt: string;
};

/**
 * For the orders module: give back what an order held (on rejection or cancellation). It is
 * recorded even when the order held nothing here, so that a reservation arriving later, out of
 * order, is refused.
 */
export type ReleaseStock = { readonly type: "ReleaseStock"; readonly orderId: string };

/** For the orders module: the order shipped, so what it held leaves for good. */
export type CommitReservation = { readonly type: "CommitReservation"; readonly orderId: string };

export type ArchiveProduct = { readonly type: "ArchiveProduct" };

export type ProductCommand =
  | CreateProduct
  | ChangeProduct
  | AdjustStock
  | ReserveStock
  | ReleaseStock
  | CommitReservation
  | ArchiveProduct;
