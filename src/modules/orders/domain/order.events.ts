import type { DomainEvent } from "../../../kernel/events";
import type { Money } from "../../../kernel/money";
import type { CancellationReason, OrderItem } from "./order.commands";
import type { RefusalReason } from "./order-status";

export type OrderPlaced = DomainEvent<
  "OrderPlaced",
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly currency: string | null;
    readonly lines: readonly OrderItem[];
    readonly paymentTimeoutMs: number;
  }
>;
/** Prices are copied from the product's log at reservation, never from a read model. */
export type LineReserved = DomainEvent<
  "LineReserved",
  {
    readonly productId: string;
    readonly sku: string;
    readonly name: string;
    readonly unitPrice: Money;
    readonly quantity: number;
    readonly lineTotal: Money;
  }
>;
export type LineRefused = DomainEvent<
  "LineRefused",
  { readonly productId: string; readonly reason: RefusalReason; readonly available?: number }
>;
/** Every line is reserved; the order must be paid by `paymentDueAt`. */
export type OrderConfirmed = DomainEvent<
  "OrderConfirmed",
  { readonly total: Money; readonly paymentDueAt: string }
>;
export type OrderRejected = DomainEvent<"OrderRejected", Record<string, never>>;
export type OrderPaid = DomainEvent<"OrderPaid", Record<string, never>>;
export type OrderShipped = DomainEvent<"OrderShipped", Record<string, never>>;
export type OrderDelivered = DomainEvent<"OrderDelivered", Record<string, never>>;
export type OrderCancelled = DomainEvent<"OrderCancelled", { readonly reason: CancellationReason }>;
/** The product gave back what the line held (or learned that the line holds nothing). */
export type LineReleased = DomainEvent<"LineReleased", { readonly productId: string }>;
/** The shipment took the line's units for good. */
export type LineCommitted = DomainEvent<"LineCommitted", { readonly productId: string }>;

export type OrderEvent =
  | OrderPlaced
  | LineReserved
  | LineRefused
  | OrderConfirmed
  | OrderRejected
  | OrderPaid
  | OrderShipped
  | OrderDelivered
  | OrderCancelled
  | LineReleased
  | LineCommitted;
