import type { Context } from "hono";
import type { AppEnv } from "../../../gateway/app-env";
import type { UnpaidCaps } from "../application/unpaid-holds";
import { MAX_QUANTITY } from "../domain/order.aggregate";
import { d1IdempotencyStore } from "../infrastructure/d1-idempotency.store";
import { orderRepository } from "../infrastructure/d1-order.repository";
import { d1OrderHolds } from "../infrastructure/d1-order-holds";

const DEFAULT_PAYMENT_TIMEOUT_SECONDS = 900;
const DEFAULT_MAX_UNPAID_ORDERS = 5;
// One full line: any line the API accepts can still be ordered on its own.
const DEFAULT_MAX_UNPAID_UNITS = MAX_QUANTITY;

/** A whole number above 0 from a var; the default when it is unset or anything else. */
const wholeNumberOr = (fallback: number, raw: string | undefined): number => {
  const value = (raw ?? "").trim();
  return /^[0-9]{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : fallback;
};

/** `ORDER_PAYMENT_TIMEOUT` in seconds (a whole number above 0), 15 minutes when unset or bad. */
export const paymentTimeoutMs = (env: Env): number =>
  wholeNumberOr(DEFAULT_PAYMENT_TIMEOUT_SECONDS, env.ORDER_PAYMENT_TIMEOUT) * 1000;

/** `ORDER_MAX_UNPAID_ORDERS` and `ORDER_MAX_UNPAID_UNITS` per customer; 5 and 1000 by default. */
export const unpaidCaps = (env: Env): UnpaidCaps => ({
  orders: wholeNumberOr(DEFAULT_MAX_UNPAID_ORDERS, env.ORDER_MAX_UNPAID_ORDERS),
  units: wholeNumberOr(DEFAULT_MAX_UNPAID_UNITS, env.ORDER_MAX_UNPAID_UNITS),
});

/**
 * What the orders module asks of another module, through a port the entry file fills (ADR 0039):
 * in process in the monolith, over a service binding in the services shape.
 */
export interface OrdersPorts {
  /** The currencies the active products among `ids` are priced in (the catalogue's read model). */
  readonly catalogCurrencies: (c: Context<AppEnv>, ids: readonly string[]) => Promise<string[]>;
}

/** The module's composition root: adapters for this request's bindings. */
export const ordersDeps = (c: Context<AppEnv>) => {
  const db = c.var.d1.db();
  return {
    repository: orderRepository(c.env, c.var.d1),
    paymentTimeoutMs: paymentTimeoutMs(c.env),
    idempotency: d1IdempotencyStore(db),
    holds: d1OrderHolds(db),
    unpaidCaps: unpaidCaps(c.env),
  };
};
