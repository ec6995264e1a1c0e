import { describe, expect, it } from "vitest";
import { STATUS_OF_KIND } from "../../../../src/gateway/problem";
import type { RecordedEvent } from "../../../../src/kernel/events";
import { orderDecider, owedSteps } from "../../../../src/modules/orders/domain/order.aggregate";
import type { OrderCommand } from "../../../../src/modules/orders/domain/order.commands";
import type { OrderEvent } from "../../../../src/modules/orders/domain/order.events";
import {
  ORDER_STATUSES,
  type OrderStatus,
} from "../../../../src/modules/orders/domain/order-status";
import { orderAggregate } from "../../../../src/modules/orders/infrastructure/order.aggregate-definition";

const id = "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70";
const now = "2026-11-26T12:00:00.000Z";
const eur = (amount: number) => ({ amount, currency: "EUR" });

const placed: OrderEvent = {
  type: "OrderPlaced",
  data: {
    orderId: id,
    customerId: "customer-1",
    currency: "EUR",
    lines: [
      { productId: "p1", quantity: 2 },
      { productId: "p2", quantity: 1 },
    ],
    paymentTimeoutMs: 60_000,
  },
};
const reservedP1: OrderEvent = {
  type: "LineReserved",
  data: {
    productId: "p1",
    sku: "A",
    name: "A",
    unitPrice: eur(100),
    quantity: 2,
    lineTotal: eur(200),
  },
};
const reservedP2: OrderEvent = {
  type: "LineReserved",
  data: {
    productId: "p2",
    sku: "B",
    name: "B",
    unitPrice: eur(50),
    quantity: 1,
    lineTotal: eur(50),
  },
};
const DUE_AT = "2026-11-26T12:01:00.000Z";
const confirmed: OrderEvent = {
  type: "OrderConfirmed",
  data: { total: eur(250), paymentDueAt: DUE_AT },
};

const stateAfter = (...history: OrderEvent[]) =>
  history
    .map(
      (event, index): RecordedEvent<OrderEvent> => ({
        ...event,
        version: index + 1,
        occurredAt: now,
      }),
    )
    .reduce(orderDecider.evolve, orderDecider.initialState());

const given = (...history: OrderEvent[]) => ({
  when: (command: OrderCommand) =>
    orderDecider.decide(command, stateAfter(...history), { aggregateId: id, now }),
});

const place = (items: { productId: string; quantity: number }[]): OrderCommand => ({
  type: "PlaceOrder",
  customerId: "customer-1",
  currency: "EUR",
  items,
  paymentTimeoutMs: 60_000,
});

describe("Order aggregate", () => {
  it("is placed with 1 to 50 lines of 1 to 1000 units, each product once", () => {
    expect(given().when(place(placed.data.lines as never))).toEqual({ ok: true, value: [placed] });
    const invalid = [
      [],
      Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })),
      [{ productId: "p1", quantity: 1001 }],
      [{ productId: "p1", quantity: 0 }],
      [{ productId: "p1", quantity: 1.5 }],
      [
        { productId: "p1", quantity: 1 },
        { productId: "p1", quantity: 2 },
      ],
    ];
    for (const items of invalid) {
      expect(given().when(place(items))).toMatchObject({
        ok: false,
        error: { code: "ORDER.INVALID_ITEMS" },
      });
    }
    expect(given(placed).when(place([{ productId: "p1", quantity: 1 }]))).toMatchObject({
      ok: false,
      error: { code: "ORDER.ALREADY_EXISTS" },
    });
  });

  it("is confirmed when its last line is reserved, with the total and a payment deadline", () => {
    const record = {
      type: "RecordReservation",
      productId: "p2",
      sku: "B",
      name: "B",
      unitPrice: eur(50),
    } as const;
    expect(given(placed, reservedP1).when(record)).toEqual({
      ok: true,
      value: [reservedP2, confirmed],
    });
    // A repeated answer changes nothing.
    expect(given(placed, reservedP1, reservedP2, confirmed).when(record)).toEqual({
      ok: true,
      value: [],
    });
  });

  it("is rejected by one refused line, and then owes the release of every other line", () => {
    const refusal = {
      type: "RefuseLine",
      productId: "p2",
      reason: "insufficient_stock",
      available: 0,
    } as const;
    const refused: OrderEvent = {
      type: "LineRefused",
      data: { productId: "p2", reason: "insufficient_stock", available: 0 },
    };
    expect(given(placed, reservedP1).when(refusal)).toEqual({
      ok: true,
      value: [refused, { type: "OrderRejected", data: {} }],
    });
    const rejected = stateAfter(placed, reservedP1, refused, { type: "OrderRejected", data: {} });
    expect(owedSteps(rejected).map((step) => `${step.verb}:${step.line.productId}`)).toEqual([
      "release:p1",
    ]);
  });

  it("owes a release for a line given up as unavailable: its reservation's answer may be lost", () => {
    const unavailable: OrderEvent = {
      type: "LineRefused",
      data: { productId: "p2", reason: "unavailable" },
    };
    const rejected = stateAfter(placed, reservedP1, unavailable, {
      type: "OrderRejected",
      data: {},
    });
    expect(owedSteps(rejected).map((step) => `${step.verb}:${step.line.productId}`)).toEqual([
      "release:p1",
      "release:p2",
    ]);
  });

  it("goes pending → confirmed → paid → shipped → delivered, and owes commits once shipped", () => {
    const history: OrderEvent[] = [placed, reservedP1, reservedP2, confirmed];
    expect(owedSteps(stateAfter(...history))).toEqual([]);
    for (const [command, event] of [
      ["PayOrder", "OrderPaid"],
      ["ShipOrder", "OrderShipped"],
      ["DeliverOrder", "OrderDelivered"],
    ] as const) {
      expect(given(...history).when({ type: command })).toEqual({
        ok: true,
        value: [{ type: event, data: {} }],
      });
      history.push({ type: event, data: {} } as OrderEvent);
      if (event === "OrderShipped") {
        expect(owedSteps(stateAfter(...history)).map((step) => step.verb)).toEqual([
          "commit",
          "commit",
        ]);
      }
    }
  });

  it("answers any other transition with 409 naming the current status", () => {
    expect(given(placed).when({ type: "ShipOrder" })).toMatchObject({
      ok: false,
      error: {
        kind: "conflict",
        code: "ORDER.INVALID_TRANSITION",
        message: "A pending order cannot be shipped.",
        details: { currentStatus: "pending" },
      },
    });
    const shipped = [
      placed,
      reservedP1,
      reservedP2,
      confirmed,
      { type: "OrderPaid", data: {} },
      { type: "OrderShipped", data: {} },
    ] as OrderEvent[];
    expect(given(...shipped).when({ type: "CancelOrder", reason: "customer" })).toMatchObject({
      ok: false,
      error: { details: { currentStatus: "shipped" } },
    });
    expect(
      given(placed, reservedP1, reservedP2, confirmed).when({
        type: "CancelOrder",
        reason: "customer",
      }),
    ).toEqual({
      ok: true,
      value: [{ type: "OrderCancelled", data: { reason: "customer" } }],
    });
  });

  it("expires at its deadline only while confirmed, and not a moment before", () => {
    const history = [placed, reservedP1, reservedP2, confirmed];
    const at = (when: string) =>
      orderDecider.decide({ type: "ExpireOrder" }, stateAfter(...history), {
        aggregateId: id,
        now: when,
      });
    expect(at("2026-11-26T12:00:59.999Z")).toEqual({ ok: true, value: [] });
    const expired = [{ type: "OrderCancelled", data: { reason: "payment_timeout" } }];
    expect(at("2026-11-26T12:01:00.000Z")).toEqual({ ok: true, value: expired });
    expect(at("2026-11-26T13:00:00.000Z")).toEqual({ ok: true, value: expired });
  });

  it("throws on an event type it does not know", () => {
    expect(() =>
      orderDecider.evolve(stateAfter(placed), {
        type: "Nope",
        data: {},
        version: 2,
        occurredAt: now,
      } as never),
    ).toThrow(/unknown type/);
  });
});

// Every status an order can be in, reached the way the saga reaches it, each from the last.
const CONFIRMED: OrderEvent[] = [placed, reservedP1, reservedP2, confirmed];
const PAID: OrderEvent[] = [...CONFIRMED, { type: "OrderPaid", data: {} }];
const SHIPPED: OrderEvent[] = [...PAID, { type: "OrderShipped", data: {} }];
const HISTORIES: Record<OrderStatus, OrderEvent[]> = {
  pending: [placed, reservedP1],
  confirmed: CONFIRMED,
  rejected: [
    placed,
    reservedP1,
    { type: "LineRefused", data: { productId: "p2", reason: "insufficient_stock" } },
    { type: "OrderRejected", data: {} },
  ],
  paid: PAID,
  shipped: SHIPPED,
  delivered: [...SHIPPED, { type: "OrderDelivered", data: {} }],
  cancelled: [...CONFIRMED, { type: "OrderCancelled", data: { reason: "customer" } }],
};

const PAST_THE_DEADLINE = "2026-11-26T12:05:00.000Z";

/** What each command does in each status: the event it appends, "none", or 409. */
const TRANSITIONS: Record<
  OrderStatus,
  { cancel: string; pay: string; ship: string; deliver: string; expire: string }
> = {
  pending: { cancel: "OrderCancelled", pay: "409", ship: "409", deliver: "409", expire: "none" },
  confirmed: {
    cancel: "OrderCancelled",
    pay: "OrderPaid",
    ship: "409",
    deliver: "409",
    expire: "OrderCancelled",
  },
  rejected: { cancel: "409", pay: "409", ship: "409", deliver: "409", expire: "none" },
  paid: {
    cancel: "OrderCancelled",
    pay: "409",
    ship: "OrderShipped",
    deliver: "409",
    expire: "none",
  },
  shipped: { cancel: "409", pay: "409", ship: "409", deliver: "OrderDelivered", expire: "none" },
  delivered: { cancel: "409", pay: "409", ship: "409", deliver: "409", expire: "none" },
  cancelled: { cancel: "409", pay: "409", ship: "409", deliver: "409", expire: "none" },
};

const COMMANDS: Record<keyof (typeof TRANSITIONS)["pending"], OrderCommand> = {
  cancel: { type: "CancelOrder", reason: "customer" },
  pay: { type: "PayOrder" },
  ship: { type: "ShipOrder" },
  deliver: { type: "DeliverOrder" },
  expire: { type: "ExpireOrder" },
};

const outcomeOf = (result: ReturnType<typeof orderDecider.decide>): string => {
  if (!result.ok) return String(STATUS_OF_KIND[result.error.kind]);
  if (result.value.length === 0) return "none";
  return result.value.map((event) => event.type).join(",");
};

describe("Order transitions, every status × every command (after the payment deadline)", () => {
  it("covers every status", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    for (const status of ORDER_STATUSES) {
      expect(stateAfter(...HISTORIES[status])?.status).toBe(status);
    }
  });

  it.each(ORDER_STATUSES)("%s", (status) => {
    const state = stateAfter(...HISTORIES[status]);
    const actual = Object.fromEntries(
      Object.entries(COMMANDS).map(([name, command]) => [
        name,
        outcomeOf(orderDecider.decide(command, state, { aggregateId: id, now: PAST_THE_DEADLINE })),
      ]),
    );
    expect(actual).toEqual(TRANSITIONS[status]);
  });

  it.each(ORDER_STATUSES)("%s: a deadline is due only while confirmed", (status) => {
    const due = orderAggregate.due?.(stateAfter(...HISTORIES[status]));
    const deadline = { at: Date.parse(DUE_AT), command: { type: "ExpireOrder" } };
    expect(due).toEqual(status === "confirmed" ? deadline : undefined);
  });
});
