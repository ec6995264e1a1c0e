// The products service (ADR 0039): the catalogue and each product's log, in a Worker of its own
// with its own D1 database. The gateway forwards /api/products to it; the orders service runs
// the saga's stock commands on product logs through it.
import { primarySession } from "../../src/db/d1-session";
import { forwardCommand } from "../../src/eventlog/event-log.client";
import type { CommandRequest } from "../../src/eventlog/event-log.contract";
import { EventLogObject } from "../../src/eventlog/event-log.do";
import { createServiceApp } from "../../src/gateway/service-app";
import {
  buildProductsRoutes,
  catalogCurrencies,
  PRODUCT_AGGREGATE,
  productAggregate,
} from "../../src/modules/products";
import type { ProductsRpc } from "../contracts";
import { ServiceEntrypoint, serviceWorker } from "../service-worker";

export { StreamRegistry } from "../../src/eventlog/stream-registry.do";

/** The product logs, and only them. */
export class EventLog extends EventLogObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, { [PRODUCT_AGGREGATE]: productAggregate });
  }
}

const app = createServiceApp([["/api/products", buildProductsRoutes]]);

export class ProductsService extends ServiceEntrypoint implements ProductsRpc {
  protected readonly app = app;

  /** A command on a product's log, from another service's saga; only product logs live here. */
  execute(request: CommandRequest) {
    if (request.aggregateType !== PRODUCT_AGGREGATE) {
      throw new Error(`The products service holds no ${request.aggregateType} logs.`);
    }
    return forwardCommand(this.env.EVENT_LOG, request);
  }

  catalogCurrencies(ids: readonly string[]) {
    // At the primary, as the monolith reads them for an authenticated order: a product created
    // a moment ago is there, where a lagging replica would refuse every line for it.
    return catalogCurrencies(primarySession(this.env.DB).db(), ids);
  }
}

export default serviceWorker();
