/** Where an order is in its life; `rejected`, `delivered` and `cancelled` are final. */
export const ORDER_STATUSES = [
  "pending",
  "confirmed",
  "rejected",
  "paid",
  "shipped",
  "delivered",
  "cancelled",
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Where a line's stock is: asked for, held, refused, given back, or gone with the shipment.
 * `refused`, `released` and `committed` are final.
 */
export type LineStatus = "pending" | "reserved" | "refused" | "released" | "committed";

/** Why a line could not be reserved. */
export const REFUSAL_REASONS = [
  "unknown_product",
  "archived",
  "insufficient_stock",
  "currency_mismatch",
  "unavailable",
] as const;

export type RefusalReason = (typeof REFUSAL_REASONS)[number];
