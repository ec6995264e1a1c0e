// The RPC contracts between the services shape's Workers (ADR 0039): what each service's
// entrypoint answers, and the bindings each Worker has to the others. During a deploy a new
// Worker may call an old one for a while, so methods and fields are only ever added.

import type { CommandTarget } from "../src/eventlog/event-log.contract";
import type { Authentication } from "../src/gateway/app-env";
import type { RequestHandlingService } from "../src/gateway/forwarding";
import type { Check } from "../src/gateway/health.routes";

/** What every service answers: the requests the gateway forwards, and its readiness. */
export interface ServiceRpc extends RequestHandlingService {
  /** This service's own readiness checks (its D1, its event log, the secrets it reads). */
  ready(): Promise<Record<string, Check>>;
}

export interface UsersRpc extends ServiceRpc {
  /** Who sent `authorization` (an `Authorization` header), read at the users' primary. */
  authenticate(authorization: string | undefined, requestId: string): Promise<Authentication>;
}

/** The products service also runs commands on product logs: the order saga's stock steps. */
export interface ProductsRpc extends ServiceRpc, CommandTarget {
  /** The currencies the active products among `ids` are priced in. */
  catalogCurrencies(ids: readonly string[]): Promise<string[]>;
}

export interface OrdersRpc extends ServiceRpc {
  /** Every order of a customer, as GET /api/orders/{id} shows each (the personal-data export). */
  customerOrders(customerId: string): Promise<unknown[]>;
}

// Each Worker's bindings: the monolith's Env (the services' wrangler configs declare the part
// each one uses) and the service bindings it has to the others.
export type GatewayEnv = Env & { USERS: UsersRpc; PRODUCTS: ProductsRpc; ORDERS: OrdersRpc };
export type UsersEnv = Env & { ORDERS: OrdersRpc };
export type OrdersEnv = Env & { PRODUCTS: ProductsRpc };
