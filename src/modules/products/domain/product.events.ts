import type { DomainEvent } from "../../../kernel/events";
import type { Money } from "../../../kernel/money";
import type { ProductId } from "./product-id.value-object";
import type { ProductDescription, ProductName } from "./product-text.value-objects";
import type { Sku } from "./sku.value-object";

export type ProductCreated = DomainEvent<
  "ProductCreated",
  {
    readonly productId: ProductId;
    readonly sku: Sku;
    readonly name: ProductName;
    readonly description: ProductDescription;
    readonly price: Money;
    readonly stock: number;
  }
>;
/** Only the fields that changed. */
export type ProductDetailsChanged = DomainEvent<
  "ProductDetailsChanged",
  { readonly name?: ProductName; readonly description?: ProductDescription }
>;
export type ProductPriceChanged = DomainEvent<
  "ProductPriceChanged",
  { readonly previousPrice: Money; readonly price: Money }
>;
/** `stock` is the count after the adjustment, so the log alone tells the history of stock. */
export type StockAdjusted = DomainEvent<
  "StockAdjusted",
  { readonly delta: number; readonly reason: string; readonly stock: number }
>;
/** Stock held for an order; at most one reservation per order, so retries are harmless. */
export type StockReserved = DomainEvent<
  "StockReserved",
  { readonly orderId: string; readonly quantity: number; readonly stock: number }
>;
/** `quantity` is 0 when the order held nothing here: the release is still remembered. */
export type StockReleased = DomainEvent<
  "StockReleased",
  { readonly orderId: string; readonly quantity: number; readonly stock: number }
>;
/** The order shipped: its units leave the product for good, and its entry leaves the state. */
export type ReservationCommitted = DomainEvent<
  "ReservationCommitted",
  { readonly orderId: string; readonly quantity: number }
>;
export type ProductArchived = DomainEvent<"ProductArchived", Record<string, never>>;

export type ProductEvent =
  | ProductCreated
  | ProductDetailsChanged
  | ProductPriceChanged
  | StockAdjusted
  | StockReserved
  | StockReleased
  | ReservationCommitted
  | ProductArchived;
