import { z } from "@hono/zod-openapi";
import { domainProblem, problemBody } from "../../../gateway/problem";
import {
  builtOnFirstUse,
  EXAMPLE_ANSWER,
  MoneySchema,
  orNull,
  PageQuerySchema,
} from "../../../gateway/schemas";
import { MAX_LINES, MAX_QUANTITY } from "../domain/order.aggregate";
import { tooManyUnpaid } from "../domain/order.errors";
import { ORDER_STATUSES, REFUSAL_REASONS } from "../domain/order-status";
import { rejectedOrderProblem } from "./rejected-order.problem";

// Named body schemas are built on first use, not at start-up (see ProblemSchema).
export const PlaceOrderSchema = z.lazy(() =>
  z
    .strictObject({
      items: z
        .array(
          z.strictObject({
            productId: z.uuid().openapi({ example: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70" }),
            quantity: z.number().int().min(1).max(MAX_QUANTITY).openapi({ example: 2 }),
          }),
        )
        .min(1)
        .max(MAX_LINES)
        .refine(
          (items) =>
            new Set(items.map((item) => item.productId.toLowerCase())).size === items.length,
          { message: "must name a product at most once" },
        ),
    })
    .openapi("PlaceOrder"),
);

// RFC 9110 field values; the key is compared exactly, per customer.
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

export const IdempotencyKeyHeaderSchema = builtOnFirstUse(() =>
  z.object({
    "idempotency-key": z
      .string({ error: "is required: 1 to 255 printable ASCII characters" })
      .regex(IDEMPOTENCY_KEY, "must be 1 to 255 printable ASCII characters")
      .openapi({
        description:
          "Makes the request safe to retry: the same key and body give the first response " +
          "again; kept at least 24 hours per customer.",
        example: "3f1c9a52-order-2026-11-26",
      }),
  }),
);

const RefusalSchema = z.lazy(() =>
  z
    .object({
      reason: z.enum(REFUSAL_REASONS),
      available: z.number().int().optional().openapi({ description: "For insufficient_stock." }),
    })
    .openapi("LineRefusal"),
);

let orderLine: ReturnType<typeof buildOrderLine> | undefined;
// Built once: OrderLineSchema wraps it, and a rejected order's lines pick from it.
const orderLineSchema = () => (orderLine ??= buildOrderLine());
const buildOrderLine = () =>
  z
    .object({
      productId: z.uuid(),
      quantity: z.number().int(),
      status: z.enum(["pending", "reserved", "refused", "released", "committed"]),
      sku: z.string().nullable(),
      name: z.string().nullable(),
      unitPrice: orNull(MoneySchema).openapi({ description: "From the product at reservation." }),
      lineTotal: orNull(MoneySchema),
      refusal: orNull(RefusalSchema),
    })
    .openapi("OrderLine");

export const OrderLineSchema = z.lazy(orderLineSchema);

const ORDER_EXAMPLE = {
  id: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f74",
  customerId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70",
  status: "confirmed" as const,
  currency: "EUR",
  total: { amount: 1798, currency: "EUR" },
  lines: [
    {
      productId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f72",
      quantity: 2,
      status: "reserved" as const,
      sku: "TEA-EARL-GREY-250",
      name: "Earl Grey, 250 g",
      unitPrice: { amount: 899, currency: "EUR" },
      lineTotal: { amount: 1798, currency: "EUR" },
      refusal: null,
    },
  ],
  paymentDueAt: "2026-11-20T09:45:00.000Z",
  cancellationReason: null,
  version: 3,
  placedAt: "2026-11-20T09:30:00.000Z",
  updatedAt: "2026-11-20T09:30:00.000Z",
};

export const OrderSchema = z.lazy(() =>
  z
    .object({
      id: z.uuid(),
      customerId: z.uuid(),
      status: z.enum(ORDER_STATUSES),
      currency: z.string().nullable(),
      total: orNull(MoneySchema).openapi({ description: "Set once confirmed." }),
      lines: z.array(OrderLineSchema),
      paymentDueAt: z.iso.datetime().nullable(),
      cancellationReason: z.enum(["customer", "admin", "payment_timeout"]).nullable(),
      version: z.number().int().openapi({ description: "Also the `ETag`." }),
      placedAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    })
    .openapi("Order", { example: ORDER_EXAMPLE }),
);

export const OrderListSchema = z.lazy(() =>
  z
    .object({ items: z.array(OrderSchema), nextCursor: z.string().nullable() })
    .openapi("OrderList", { example: { items: [ORDER_EXAMPLE], nextCursor: null } }),
);

export const OrderListQuerySchema = builtOnFirstUse(() =>
  PageQuerySchema().extend({
    status: z.enum(ORDER_STATUSES).optional(),
    customerId: z.uuid().optional().openapi({ description: "Admins only: one customer's orders." }),
  }),
);

export const RejectedOrderSchema = z.lazy(() =>
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.literal(409),
      detail: z.string(),
      code: z.literal("ORDER.REJECTED"),
      orderId: z.uuid(),
      lines: z.array(
        orderLineSchema().pick({ productId: true, quantity: true, status: true, refusal: true }),
      ),
    })
    .passthrough()
    .openapi("RejectedOrder", {
      example: problemBody(
        rejectedOrderProblem({
          id: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f74",
          lines: [
            {
              productId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f72",
              quantity: 25,
              status: "refused",
              refusal: { reason: "insufficient_stock", available: 20 },
              sku: null,
              name: null,
              unitPrice: null,
              lineTotal: null,
            },
          ],
        }),
        { ...EXAMPLE_ANSWER, instance: "/api/orders" },
      ),
    }),
);

export const TooManyUnpaidSchema = z.lazy(() =>
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.literal(409),
      detail: z.string(),
      code: z.literal("ORDER.TOO_MANY_UNPAID"),
      maxUnpaidOrders: z.number().int().openapi({ description: "`ORDER_MAX_UNPAID_ORDERS`." }),
      maxUnpaidUnits: z.number().int().openapi({ description: "`ORDER_MAX_UNPAID_UNITS`." }),
      unpaidOrders: z
        .number()
        .int()
        .openapi({ description: "The customer's other unpaid orders." }),
      unpaidUnits: z.number().int().openapi({ description: "The units those orders hold." }),
    })
    .passthrough()
    .openapi("TooManyUnpaidOrders", {
      example: problemBody(
        domainProblem(
          tooManyUnpaid({ orders: 5, units: 1000 }, { unpaidOrders: 2, unpaidUnits: 900 }),
        ),
        { ...EXAMPLE_ANSWER, instance: "/api/orders" },
      ),
    }),
);
