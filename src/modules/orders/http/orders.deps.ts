import type { Context } from "hono";
import { openDatabase } from "../../../db/client";
import type { AppEnv } from "../../../gateway/app-env";
import { catalogCurrencies } from "../../products";
import { d1IdempotencyStore } from "../infrastructure/d1-idempotency.store";
import { orderRepository } from "../infrastructure/d1-order.repository";

const DEFAULT_PAYMENT_TIMEOUT_SECONDS = 900;

/** `ORDER_PAYMENT_TIMEOUT` in seconds (a whole number above 0), 15 minutes when unset or bad. */
export function paymentTimeoutMs(env: Env): number {
  const raw = (env.ORDER_PAYMENT_TIMEOUT ?? "").trim();
  const seconds = /^[0-9]{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined;
  return (seconds ?? DEFAULT_PAYMENT_TIMEOUT_SECONDS) * 1000;
}

/** The module's composition root: adapters for this request's bindings. */
export const ordersDeps = (c: Context<AppEnv>) => ({
  repository: orderRepository(c.env),
  catalogCurrencies: (ids: readonly string[]) => catalogCurrencies(c.env, ids),
  paymentTimeoutMs: paymentTimeoutMs(c.env),
  idempotency: d1IdempotencyStore(openDatabase(c.env.DB)),
});
