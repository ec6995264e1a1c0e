import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../../gateway/app-env";
import { problemResponse } from "../../../gateway/error-handler";
import { HttpProblem, unwrap } from "../../../gateway/problem";
import {
  ETAG_HEADER,
  eventList,
  eventsRoute,
  expectedVersions,
  json,
  notModified,
  pageRequest,
  withEtag,
} from "../../../gateway/resource-responses";
import { createRouter } from "../../../gateway/router";
import {
  IdParamSchema,
  IfMatchHeaderSchema,
  IfNoneMatchHeaderSchema,
  ProblemSchema,
  problemResponses,
} from "../../../gateway/schemas";
import { adminOnly, authenticated, principalOf } from "../../users";
import { requestHash, type StoredResponse } from "../application/idempotency";
import type { OrderView } from "../application/order.view";
import { getOrder, getOrderEvents, listOrders } from "../application/order-queries";
import { changeOrder, type OrderTransition } from "../application/order-transitions.handler";
import { orderCurrency, placeOrder } from "../application/place-order.handler";
import { newOrderId, parseOrderId } from "../domain/order-id.value-object";
import { ordersDeps } from "./orders.deps";
import {
  IdempotencyKeyHeaderSchema,
  OrderListQuerySchema,
  OrderListSchema,
  OrderSchema,
  PlaceOrderSchema,
  RejectedOrderSchema,
} from "./orders.schemas";
import { rejectedOrderProblem } from "./rejected-order.problem";

const tags = ["Orders"];
const orderResponse = {
  description: "The order",
  headers: ETAG_HEADER,
  content: json(OrderSchema),
};
const idOf = (raw: string) => unwrap(parseOrderId(raw));

/** Seconds before retrying a placement whose saga did not come to rest in the request. */
const PENDING_RETRY_AFTER_SECONDS = 2;

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

const send = ({ status, headers, body }: StoredResponse, extra: Record<string, string> = {}) =>
  new Response(body, { status, headers: { ...headers, ...extra } });

/** Who may cancel: the customer for themselves, an admin for anyone (recorded as such). */
const cancellation = (c: Context<AppEnv>, order: { customerId: string }): OrderTransition => ({
  type: "CancelOrder",
  reason: order.customerId === principalOf(c).id ? "customer" : "admin",
});

const transitionRoute = (
  action: "cancel" | "pay" | "ship" | "deliver",
  summary: string,
  description?: string,
) =>
  createRoute({
    method: "post",
    path: `/{id}/${action}`,
    operationId: `${action}Order`,
    tags,
    summary,
    ...(description === undefined ? {} : { description }),
    ...(action === "cancel" ? authenticated : adminOnly),
    request: { params: IdParamSchema, headers: IfMatchHeaderSchema },
    responses: { 200: orderResponse, ...problemResponses(400, 401, 403, 404, 409, 412) },
  });

async function transition(c: Context<AppEnv>, command: (order: OrderView) => OrderTransition) {
  const expected = expectedVersions(c);
  const order = unwrap(
    await changeOrder(ordersDeps(c).repository, {
      id: idOf(c.req.param("id") ?? ""),
      reader: principalOf(c),
      command,
      correlationId: c.get("requestId"),
      ...(expected === undefined ? {} : { expectedVersions: expected }),
    }),
  );
  return withEtag(c, order, 200);
}

export const ordersRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      operationId: "placeOrder",
      tags,
      summary: "Place an order: reserves every line's stock, or none (idempotent by key)",
      ...authenticated,
      request: {
        headers: IdempotencyKeyHeaderSchema,
        body: { required: true, content: json(PlaceOrderSchema) },
      },
      responses: {
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
            "Rejected (`ORDER.REJECTED`, with the reason per line), or the same key's first " +
            "request is still running (`IDEMPOTENCY_KEY_IN_USE`).",
          content: {
            "application/problem+json": { schema: RejectedOrderSchema.or(ProblemSchema) },
          },
        },
        422: {
          description: "The key was first used with another body (`IDEMPOTENCY_KEY_REUSED`).",
          content: { "application/problem+json": { schema: ProblemSchema } },
        },
        503: {
          description:
            "A product did not answer in time (`ORDER.PENDING`); retry with the same key after " +
            "`Retry-After`.",
          content: { "application/problem+json": { schema: ProblemSchema } },
        },
        ...problemResponses(400, 401, 413, 415),
      },
    }),
    async (c) => {
      const customerId = principalOf(c).id;
      const key = c.req.valid("header")["idempotency-key"];
      const { items } = c.req.valid("json");
      const deps = ordersDeps(c);
      // Refused before the key is used: a corrected body may then come with the same key.
      const currency = unwrap(await orderCurrency(deps, items));
      const claim = await deps.idempotency.claim(
        customerId,
        key,
        await requestHash({ items }),
        newOrderId(),
      );
      if (claim.kind === "replay") {
        return send(claim.response, { "idempotent-replayed": "true" }) as never;
      }
      if (claim.kind === "mismatch") {
        throw new HttpProblem({
          status: 422,
          code: "IDEMPOTENCY_KEY_REUSED",
          detail: "This Idempotency-Key was first used with another body; use a new key.",
        });
      }
      if (claim.kind === "running") {
        throw new HttpProblem(
          {
            status: 409,
            code: "IDEMPOTENCY_KEY_IN_USE",
            detail: "A request with this Idempotency-Key is still running; retry shortly.",
          },
          { "retry-after": "1" },
        );
      }
      const orderId = idOf(claim.orderId);
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
      const response = await placementResponse(c, order);
      await deps.idempotency.finish(customerId, key, response);
      return send(response) as never;
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      operationId: "listOrders",
      tags,
      summary: "List orders, newest first: one's own, or anyone's for an admin",
      ...authenticated,
      request: { query: OrderListQuerySchema },
      responses: {
        200: { description: "A page of orders", content: json(OrderListSchema) },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { status, customerId, ...page } = c.req.valid("query");
      const list = await listOrders(ordersDeps(c).repository, principalOf(c), {
        ...pageRequest(page),
        ...(status === undefined ? {} : { status }),
        ...(customerId === undefined ? {} : { customerId: customerId.toLowerCase() }),
      });
      return c.json(unwrap(list) as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{id}",
      operationId: "getOrder",
      tags,
      summary: "Read an order (its customer or an admin)",
      ...authenticated,
      request: { params: IdParamSchema, headers: IfNoneMatchHeaderSchema },
      responses: {
        200: orderResponse,
        304: { description: "Not modified since the given ETag" },
        ...problemResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const id = idOf(c.req.valid("param").id);
      const order = unwrap(await getOrder(ordersDeps(c).repository, id, principalOf(c)));
      return notModified(c, order.version) ?? withEtag(c, order as never, 200);
    },
  )
  .openapi(
    transitionRoute("cancel", "Cancel an order (its customer or an admin); its units come back"),
    (c) => transition(c, (order) => cancellation(c, order)) as never,
  )
  .openapi(
    transitionRoute(
      "pay",
      "Record an order's payment (admin)",
      "Accepted while the order is `confirmed`, also after its `paymentDueAt` when the deadline " +
        "has not been applied yet (its units are still held). The deadline and a payment are " +
        "decided one at a time in the order's log: whichever comes first wins, so an order " +
        "answered `paid` is never cancelled by its deadline, and an order already cancelled " +
        "(`cancellationReason: payment_timeout`) answers 409.",
    ),
    (c) => transition(c, () => ({ type: "PayOrder" })) as never,
  )
  .openapi(
    transitionRoute("ship", "Ship an order (admin); its units leave for good"),
    (c) => transition(c, () => ({ type: "ShipOrder" })) as never,
  )
  .openapi(
    transitionRoute("deliver", "Record an order's delivery (admin)"),
    (c) => transition(c, () => ({ type: "DeliverOrder" })) as never,
  )
  .openapi(
    eventsRoute({
      operationId: "listOrderEvents",
      tags,
      summary: "An order's events, oldest first (its customer or an admin)",
      access: authenticated,
    }),
    async (c) => {
      const id = idOf(c.req.valid("param").id);
      const page = await getOrderEvents(
        ordersDeps(c).repository,
        id,
        principalOf(c),
        pageRequest(c.req.valid("query")),
      );
      return eventList(c, unwrap(page));
    },
  );
