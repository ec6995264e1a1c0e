// The orders module's public surface: its router, its aggregate for the log, its upkeep, and a
// customer's orders for the users module's personal-data export (the entry file hands it over).

import type { D1Session } from "../../db/d1-session";
import { ordersOfCustomer } from "./application/customer-orders.query";
import type { OrderView } from "./application/order.view";
import { orderRepository } from "./infrastructure/d1-order.repository";

export type { OrdersPorts } from "./http/orders.deps";
export { buildOrdersRoutes } from "./http/orders.routes";
export { orderAggregate } from "./infrastructure/order.aggregate-definition";
export { purgeIdempotencyKeysJob } from "./infrastructure/purge-idempotency-keys.job";
export { purgeOrderHoldsJob } from "./infrastructure/purge-order-holds.job";

/** Every order of a customer, as GET /api/orders/{id} shows each, read in the request's session. */
export const customerOrders = (env: Env, d1: D1Session, customerId: string): Promise<OrderView[]> =>
  ordersOfCustomer(orderRepository(env, d1), customerId);
