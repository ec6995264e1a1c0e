import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../../gateway/app-env";
import { adminOnly, authenticated, principalOf } from "../../../gateway/authentication";
import { unwrap } from "../../../gateway/problem";
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
  BODY_STATUSES,
  GATEWAY_STATUSES,
  IdParamSchema,
  IfMatchHeaderSchema,
  IfNoneMatchHeaderSchema,
  problemResponses,
} from "../../../gateway/schemas";
import type { OrderView } from "../application/order.view";
import { getOrder, getOrderEvents, listOrders } from "../application/order-queries";
import { changeOrder, type OrderTransition } from "../application/order-transitions.handler";
import { parseOrderId } from "../domain/order-id.value-object";
import { type OrdersPorts, ordersDeps } from "./orders.deps";
import { OrderListQuerySchema, OrderListSchema, OrderSchema } from "./orders.schemas";
import { placeOrderHandler, placeOrderRoute } from "./place-order.route";

const tags = ["Orders"];
const orderResponse = {
  description: "The order",
  headers: ETAG_HEADER,
  content: json(OrderSchema),
};
const idOf = (raw: string) => unwrap(parseOrderId(raw));

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
    request: { params: IdParamSchema(), headers: IfMatchHeaderSchema() },
    responses: {
      200: orderResponse,
      ...problemResponses(400, 401, 403, 404, 409, 412, ...BODY_STATUSES, ...GATEWAY_STATUSES),
    },
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

export const buildOrdersRoutes = (ports: OrdersPorts) =>
  createRouter()
    .openapi(placeOrderRoute(), placeOrderHandler(ports))
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        operationId: "listOrders",
        tags,
        summary: "List orders, newest first: one's own, or anyone's for an admin",
        ...authenticated,
        request: { query: OrderListQuerySchema() },
        responses: {
          200: { description: "A page of orders", content: json(OrderListSchema) },
          ...problemResponses(400, 401, 403, ...GATEWAY_STATUSES),
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
        request: { params: IdParamSchema(), headers: IfNoneMatchHeaderSchema() },
        responses: {
          200: orderResponse,
          304: { description: "Not modified since the given ETag" },
          ...problemResponses(400, 401, 404, ...GATEWAY_STATUSES),
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
