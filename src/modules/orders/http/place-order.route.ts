import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../../gateway/app-env";
import { authenticated, principalOf } from "../../../gateway/authentication";
import { problemResponse } from "../../../gateway/error-handler";
import { enforceRateLimit, rateLimit } from "../../../gateway/middleware/rate-limit.middleware";
import { HttpProblem, unwrap } from "../../../gateway/problem";
import { ETAG_HEADER, json } from "../../../gateway/resource-responses";
import {
  BODY_STATUSES,
  builtOnFirstUse,
  GATEWAY_STATUSES,
  ProblemSchema,
  problemResponses,
} from "../../../gateway/schemas";
import { loggableError } from "../../../kernel/loggable-error";
import {
  type IdempotencyClaim,
  requestHash,
  type StoredResponse,
} from "../application/idempotency";
import type { OrderView } from "../application/order.view";
import { holdForPlacement, orderCurrency, placeOrder } from "../application/place-order.handler";
import type { OrderItem } from "../domain/order.commands";
import { newOrderId, type OrderId, parseOrderId } from "../domain/order-id.value-object";
import { type OrdersPorts, ordersDeps } from "./orders.deps";
import {
  IdempotencyKeyHeaderSchema,
  OrderSchema,
  PlaceOrderSchema,
  RejectedOrderSchema,
  TooManyUnpaidSchema,
} from "./orders.schemas";
import { rejectedOrderProblem } from "./rejected-order.problem";

/** Seconds before retrying a placement whose saga did not come to rest in the request. */
const PENDING_RETRY_AFTER_SECONDS = 2;

// Built with the orders' routes, on their first request (ADR 0032).
export const placeOrderRoute = builtOnFirstUse(() =>
  createRoute({
    method: "post",
    path: "/",
    operationId: "placeOrder",
    tags: ["Orders"],
    summary: "Place an order: reserves every line's stock, or none (idempotent by key)",
    description:
      "The same `Idempotency-Key` and body answer the first response again, whatever changed " +
      "since. A new placement is limited per address and per customer (429), and a customer's " +
      "unpaid orders (placed, not yet paid or cancelled) may hold at most " +
      "`ORDER_MAX_UNPAID_ORDERS` orders (5 by default) and `ORDER_MAX_UNPAID_UNITS` units " +
      "(1000) together (409 `ORDER.TOO_MANY_UNPAID`): paying or cancelling one makes room.",
    security: authenticated.security,
    // Per address first, so that any flood from one address is cut short, signed in or not.
    middleware: [
      rateLimit((env) => env.ORDER_ADDRESS_RATE_LIMITER, "order"),
      authenticated.middleware,
    ] as const,
    request: {
      headers: IdempotencyKeyHeaderSchema(),
      body: { required: true, content: json(PlaceOrderSchema) },
    },
    responses: {
      // First, so that this operation's own 409 and 503 replace the generic ones.
      ...problemResponses(400, 401, ...BODY_STATUSES, ...GATEWAY_STATUSES),
      201: {
        description: "Confirmed: every line's units are held until payment or cancellation.",
        headers: {
          ...ETAG_HEADER,
          Location: { schema: { type: "string" } },
          "Idempotent-Replayed": {
            schema: { type: "string", enum: ["true"] },
            description: "On a repeat of an earlier request: this is its response again.",
          },
        },
        content: json(OrderSchema),
      },
      409: {
        description:
          "Rejected (`ORDER.REJECTED`, with the reason per line); the customer's unpaid orders " +
          "already hold as much as they may (`ORDER.TOO_MANY_UNPAID`, with the caps and what " +
          "they hold); or the same key's first request is still running " +
          "(`IDEMPOTENCY_KEY_IN_USE`).",
        content: {
          "application/problem+json": {
            schema: RejectedOrderSchema.or(TooManyUnpaidSchema).or(ProblemSchema),
          },
        },
      },
      422: {
        description: "The key was first used with another body (`IDEMPOTENCY_KEY_REUSED`).",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
      429: {
        description:
          "Too many placements (`RATE_LIMITED`): 30 a minute per address, 10 a minute per " +
          "customer (replays of a finished key are not counted per customer); see `Retry-After`.",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
      503: {
        description:
          "A product did not answer in time (`ORDER.PENDING`); retry with the same key after " +
          "`Retry-After`.",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    },
  }),
);

/** The response to a placement, as sent the first time and as kept for replays. */
async function placementResponse(c: Context<AppEnv>, order: OrderView): Promise<StoredResponse> {
  if (order.status === "rejected") {
    const response = problemResponse(c, rejectedOrderProblem(order));
    return {
      status: 409,
      headers: { "content-type": response.headers.get("content-type") as string },
      body: await response.text(),
    };
  }
  return {
    status: 201,
    headers: {
      "content-type": "application/json",
      location: `/api/orders/${order.id}`,
      etag: `"${order.version}"`,
    },
    body: JSON.stringify(order),
  };
}

const send = ({ status, headers, body }: StoredResponse, replayed: boolean) =>
  new Response(body, {
    status,
    headers: { ...headers, ...(replayed ? { "idempotent-replayed": "true" } : {}) },
  });

/** The answer to a key that is not this request's to run. */
function answerForKey(claim: Exclude<IdempotencyClaim, { kind: "run" }>): Response {
  switch (claim.kind) {
    case "replay":
      return send(claim.response, true);
    case "mismatch":
      throw new HttpProblem({
        status: 422,
        code: "IDEMPOTENCY_KEY_REUSED",
        detail: "This Idempotency-Key was first used with another body; use a new key.",
      });
    case "running":
      throw new HttpProblem(
        {
          status: 409,
          code: "IDEMPOTENCY_KEY_IN_USE",
          detail: "A request with this Idempotency-Key is still running; retry shortly.",
        },
        { "retry-after": "1" },
      );
  }
}

/**
 * What may refuse a placement before its order exists: the per-customer limit, the catalogue's
 * currencies, the caps on unpaid orders. A refusal gives the key back: a fresh key is
 * forgotten, so it may come again (with a corrected body, say); a key taken over from a request
 * that stopped stays with its order, which may exist already.
 */
async function admit(
  c: Context<AppEnv>,
  deps: PlacementDeps,
  placement: { claim: { fresh: boolean }; key: string; orderId: OrderId; items: OrderItem[] },
): Promise<string | null> {
  const { claim, key, orderId, items } = placement;
  const customerId = principalOf(c).id;
  try {
    await enforceRateLimit(c.env.ORDER_CUSTOMER_RATE_LIMITER, customerId, "order");
    return await currencyBesideHold(c, deps, { orderId, customerId, items });
  } catch (error) {
    await (claim.fresh
      ? deps.idempotency.release(customerId, key, orderId)
      : deps.idempotency.abandon(customerId, key));
    throw error;
  }
}

/**
 * The order's currency, with its hold taken: both wait only on the key's claim, not on each
 * other, so they are asked at once (one D1 round trip, not two). The currencies' refusal comes
 * first, as when they were asked first, and gives back the hold taken beside it (never the hold
 * of an order that exists: a taken-over key's order may).
 */
async function currencyBesideHold(
  c: Context<AppEnv>,
  deps: PlacementDeps,
  placement: { orderId: OrderId; customerId: string; items: readonly OrderItem[] },
): Promise<string | null> {
  const [currency, hold] = await Promise.allSettled([
    orderCurrency(deps, placement.items),
    holdForPlacement(deps, placement),
  ]);
  const refused = currency.status === "rejected" || !currency.value.ok;
  if (refused && hold.status === "fulfilled" && hold.value.ok) {
    await giveBackHold(c, deps, placement.orderId);
  }
  const orderCurrencyOf = unwrap(settledValue(currency));
  unwrap(settledValue(hold));
  return orderCurrencyOf;
}

/** Gives a refused placement's hold back; if D1 fails, the hold lapses and the refusal stands. */
async function giveBackHold(c: Context<AppEnv>, deps: PlacementDeps, orderId: OrderId) {
  try {
    await deps.holds.release(orderId);
  } catch (error) {
    console.warn(
      JSON.stringify({
        level: "warn",
        message: "a refused placement's hold was not given back; it lapses",
        requestId: c.get("requestId"),
        orderId,
        ...loggableError(error),
      }),
    );
  }
}

/** The value of a settled promise, or its rejection thrown. */
const settledValue = <T>(settled: PromiseSettledResult<T>): T => {
  if (settled.status === "rejected") throw settled.reason;
  return settled.value;
};

type PlacementDeps = ReturnType<typeof ordersDeps> & {
  readonly catalogCurrencies: (ids: readonly string[]) => Promise<string[]>;
};

export const placeOrderHandler =
  (ports: OrdersPorts): RouteHandler<ReturnType<typeof placeOrderRoute>, AppEnv> =>
  async (c) => {
    const customerId = principalOf(c).id;
    const key = c.req.valid("header")["idempotency-key"];
    const { items } = c.req.valid("json");
    const deps: PlacementDeps = {
      ...ordersDeps(c),
      catalogCurrencies: (ids) => ports.catalogCurrencies(c, ids),
    };
    // The key first: a replay answers what the first request answered, whatever changed since
    // (the catalogue, the customer's other orders), and counts against no cap.
    const claim = await deps.idempotency.claim(
      customerId,
      key,
      await requestHash({ items }),
      newOrderId(),
    );
    if (claim.kind !== "run") return answerForKey(claim) as never;
    const orderId = unwrap(parseOrderId(claim.orderId));
    const currency = await admit(c, deps, { claim, key, orderId, items });
    let order: OrderView;
    try {
      order = unwrap(
        await placeOrder(deps, {
          orderId,
          customerId,
          currency,
          items,
          commandId: `place:${orderId}`,
          correlationId: c.get("requestId"),
        }),
      );
    } catch (error) {
      await deps.idempotency.abandon(customerId, key);
      throw error;
    }
    if (order.status === "pending") {
      await deps.idempotency.abandon(customerId, key);
      throw new HttpProblem(
        {
          status: 503,
          code: "ORDER.PENDING",
          detail: "A product did not answer in time; retry with the same Idempotency-Key.",
          extensions: { orderId },
        },
        { "retry-after": String(PENDING_RETRY_AFTER_SECONDS) },
      );
    }
    // A request that outlived its lease may finish after the retry that took over: the first
    // answer kept is the one every later request gets.
    const kept = await deps.idempotency.finish(customerId, key, await placementResponse(c, order));
    return send(kept.response, !kept.first) as never;
  };
