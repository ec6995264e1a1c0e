/**
 * How much one customer's unpaid orders may hold at once: orders placed and not yet paid,
 * rejected or cancelled, and the units in them (`ORDER_MAX_UNPAID_ORDERS`,
 * `ORDER_MAX_UNPAID_UNITS`).
 */
export interface UnpaidCaps {
  readonly orders: number;
  readonly units: number;
}

/** An order's place under its customer's caps, taken before the order is placed. */
export interface OrderHold {
  readonly orderId: string;
  readonly customerId: string;
  readonly units: number;
  /** Epoch ms after which the hold no longer counts (the order's projection moves it). */
  readonly expiresAt: number;
}

export type HoldOutcome =
  /** The order holds its place: taken now, or by an earlier attempt of the same placement. */
  | { readonly kind: "held" }
  /** The order already exists (a retry of a placement that got that far): nothing to take. */
  | { readonly kind: "placed" }
  /** Taking it would pass a cap; what the customer's other unpaid orders hold. */
  | { readonly kind: "refused"; readonly unpaidOrders: number; readonly unpaidUnits: number };

export interface OrderHolds {
  /**
   * Takes `hold` only if the customer's other unexpired holds leave room under `caps`, decided
   * in one statement so that concurrent placements cannot all pass a check made before any of
   * them took its place. Taking the same order's hold again is not counted twice.
   */
  acquire(hold: OrderHold, caps: UnpaidCaps, now: number): Promise<HoldOutcome>;
  /**
   * Gives back the hold of a placement refused before its order existed; never the hold of an
   * order that exists.
   */
  release(orderId: string): Promise<void>;
}

/**
 * How long a hold outlives its order's payment deadline: the deadline's alarm may run late, and
 * a placement takes a while to confirm. A hold whose order was never placed lapses after the
 * payment timeout and this.
 */
export const HOLD_GRACE_MS = 2 * 60_000;
