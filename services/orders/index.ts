// The orders service (ADR 0039): orders, their sagas and upkeep, in a Worker of its own with its
// own D1 database. The gateway forwards /api/orders to it; the saga's stock commands and the
// catalogue's currencies go to the products service; the users service reads a customer's orders
// from it for the personal-data export.
import { primarySession } from "../../src/db/d1-session";
import { EventLogObject } from "../../src/eventlog/event-log.do";
import { callService } from "../../src/gateway/dependency-unavailable";
import { createServiceApp } from "../../src/gateway/service-app";
import {
  buildOrdersRoutes,
  customerOrders,
  orderAggregate,
  purgeIdempotencyKeysJob,
  purgeOrderHoldsJob,
} from "../../src/modules/orders";
import { PRODUCT_AGGREGATE } from "../../src/modules/products";
import type { OrdersEnv, OrdersRpc } from "../contracts";
import { ServiceEntrypoint, serviceWorker } from "../service-worker";

export { StreamRegistry } from "../../src/eventlog/stream-registry.do";

/** The order logs, and only them; the saga's commands on product logs go to the products service. */
export class EventLog extends EventLogObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, { [orderAggregate.type]: orderAggregate }, (env) => ({
      [PRODUCT_AGGREGATE]: (env as OrdersEnv).PRODUCTS,
    }));
  }
}

const app = createServiceApp([
  [
    "/api/orders",
    () =>
      buildOrdersRoutes({
        catalogCurrencies: (c, ids) =>
          callService("products", () => (c.env as OrdersEnv).PRODUCTS.catalogCurrencies(ids)),
      }),
  ],
]);

export class OrdersService extends ServiceEntrypoint implements OrdersRpc {
  protected readonly app = app;

  customerOrders(customerId: string) {
    return customerOrders(this.env, primarySession(this.env.DB), customerId);
  }
}

export default serviceWorker([purgeIdempotencyKeysJob, purgeOrderHoldsJob]);
