// The products service (ADR 0039): the catalogue and each product's log, in a Worker of its own
// with its own D1 database. The gateway forwards /api/products to it; the orders service runs
// the saga's stock commands on product logs through it.
import { WorkerEntrypoint } from "cloudflare:workers";
import { primarySession } from "../../src/db/d1-session";
import { forwardCommand } from "../../src/eventlog/event-log.client";
import type { CommandRequest } from "../../src/eventlog/event-log.contract";
import { EventLogObject } from "../../src/eventlog/event-log.do";
import type { ForwardedRequest } from "../../src/gateway/forwarding";
import { runProbes, storageProbes } from "../../src/gateway/health.routes";
import { createServiceApp } from "../../src/gateway/service-app";
import { healReadModelsJob } from "../../src/maintenance/heal-read-models.job";
import { listStreamsFromD1Job } from "../../src/maintenance/list-streams-from-d1.job";
import { runMaintenance } from "../../src/maintenance/scheduled";
import {
  buildProductsRoutes,
  catalogCurrencies,
  PRODUCT_AGGREGATE,
  productAggregate,
} from "../../src/modules/products";
import type { ProductsRpc } from "../contracts";

export { StreamRegistry } from "../../src/eventlog/stream-registry.do";

/** The product logs, and only them. */
export class EventLog extends EventLogObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, { [PRODUCT_AGGREGATE]: productAggregate });
  }
}

const app = createServiceApp([["/api/products", buildProductsRoutes]]);

export class ProductsService extends WorkerEntrypoint<Env> implements ProductsRpc {
  handle(request: Request, forwarded: ForwardedRequest): Promise<Response> {
    return app.handle(request, forwarded, this.env, this.ctx);
  }

  ready() {
    return runProbes(storageProbes(this.env, primarySession(this.env.DB)));
  }

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

export default {
  // Only the gateway reaches this Worker, over RPC; it serves nothing over HTTP.
  fetch: () => new Response(null, { status: 404 }),
  scheduled: (_controller, env) => runMaintenance(env, [healReadModelsJob, listStreamsFromD1Job]),
} satisfies ExportedHandler<Env>;
