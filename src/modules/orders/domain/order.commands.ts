import type { Money } from "../../../kernel/money";
import type { RefusalReason } from "./order-status";

export interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
}

/** The id is the log's own (from the decision context). */
export type PlaceOrder = {
  readonly type: "PlaceOrder";
  readonly customerId: string;
  /** The catalogue's currency for these products; null when none of them is known. */
  readonly currency: string | null;
  readonly items: readonly OrderItem[];
  /** How long a confirmed order may stay unpaid before it is cancelled. */
  readonly paymentTimeoutMs: number;
};

/** The product held the line's units; its price as the product's log had it then. */
export type RecordReservation = {
  readonly type: "RecordReservation";
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: Money;
};

export type RefuseLine = {
  readonly type: "RefuseLine";
  readonly productId: string;
  readonly reason: RefusalReason;
  /** For `insufficient_stock`: what the product had. */
  readonly available?: number;
};

export type RecordRelease = { readonly type: "RecordRelease"; readonly productId: string };

export type RecordCommit = { readonly type: "RecordCommit"; readonly productId: string };

export type PayOrder = { readonly type: "PayOrder" };
export type ShipOrder = { readonly type: "ShipOrder" };
export type DeliverOrder = { readonly type: "DeliverOrder" };

export type CancellationReason = "customer" | "admin" | "payment_timeout";

/** A person cancels: the customer, or an admin for them. The deadline expires an order instead. */
export type CancelOrder = {
  readonly type: "CancelOrder";
  readonly reason: Exclude<CancellationReason, "payment_timeout">;
};

/**
 * The payment deadline, run by the order's own alarm. Decided in the order's queue, so it only
 * cancels an order that is still `confirmed` and overdue when its turn comes: a payment queued
 * ahead of it wins.
 */
export type ExpireOrder = { readonly type: "ExpireOrder" };

export type OrderCommand =
  | PlaceOrder
  | RecordReservation
  | RefuseLine
  | RecordRelease
  | RecordCommit
  | PayOrder
  | ShipOrder
  | DeliverOrder
  | CancelOrder
  | ExpireOrder;
