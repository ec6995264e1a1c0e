import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../../../../src/kernel/events";
import {
  MAX_STOCK,
  productDecider,
} from "../../../../src/modules/products/domain/product.aggregate";
import type { ProductCommand } from "../../../../src/modules/products/domain/product.commands";
import type { ProductEvent } from "../../../../src/modules/products/domain/product.events";
import type {
  ProductDescription,
  ProductName,
} from "../../../../src/modules/products/domain/product-text.value-objects";
import type { Sku } from "../../../../src/modules/products/domain/sku.value-object";

const id = "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70";
const now = "2026-11-25T12:00:00.000Z";
const price = { amount: 899, currency: "EUR" };

const created: ProductEvent = {
  type: "ProductCreated",
  data: {
    productId: id as never,
    sku: "TEA-1" as Sku,
    name: "Earl Grey" as ProductName,
    description: "Black tea" as ProductDescription,
    price,
    stock: 3,
  },
};
const archived: ProductEvent = { type: "ProductArchived", data: {} };

const stateAfter = (...history: ProductEvent[]) =>
  history
    .map(
      (event, index): RecordedEvent<ProductEvent> => ({
        ...event,
        version: index + 1,
        occurredAt: now,
      }),
    )
    .reduce(productDecider.evolve, productDecider.initialState());

const given = (...history: ProductEvent[]) => ({
  when: (command: ProductCommand) =>
    productDecider.decide(command, stateAfter(...history), { aggregateId: id, now }),
});

describe("Product aggregate", () => {
  it("creates a product with the log's id", () => {
    const { productId: _id, ...fields } = created.data as Extract<
      ProductEvent,
      { type: "ProductCreated" }
    >["data"];
    expect(given().when({ type: "CreateProduct", ...fields })).toEqual({
      ok: true,
      value: [created],
    });
  });

  it("records only what changed", () => {
    const decision = given(created).when({
      type: "ChangeProduct",
      name: "Earl Grey" as ProductName,
      description: "Smoky black tea" as ProductDescription,
      price: { amount: 999, currency: "EUR" },
    });
    expect(decision).toEqual({
      ok: true,
      value: [
        { type: "ProductDetailsChanged", data: { description: "Smoky black tea" } },
        {
          type: "ProductPriceChanged",
          data: { previousPrice: price, price: { amount: 999, currency: "EUR" } },
        },
      ],
    });
    expect(given(created).when({ type: "ChangeProduct", price })).toEqual({ ok: true, value: [] });
  });

  it("adjusts stock, recording the resulting count, and never below zero", () => {
    expect(given(created).when({ type: "AdjustStock", delta: -3, reason: "sold" })).toEqual({
      ok: true,
      value: [{ type: "StockAdjusted", data: { delta: -3, reason: "sold", stock: 0 } }],
    });
    expect(given(created).when({ type: "AdjustStock", delta: -4, reason: "sold" })).toMatchObject({
      ok: false,
      error: { kind: "conflict", code: "PRODUCT.INSUFFICIENT_STOCK", details: { currentStock: 3 } },
    });
    const full = { ...created, data: { ...created.data, stock: MAX_STOCK } } as ProductEvent;
    expect(given(full).when({ type: "AdjustStock", delta: 1, reason: "too many" })).toMatchObject({
      ok: false,
      error: { kind: "invalid", field: "delta" },
    });
    expect(given(created).when({ type: "AdjustStock", delta: 0, reason: "nothing" })).toMatchObject(
      {
        ok: false,
        error: { kind: "invalid" },
      },
    );
  });

  it("refuses every change to an archived product, and archiving twice changes nothing", () => {
    for (const command of [
      { type: "ChangeProduct", name: "New" as ProductName },
      { type: "AdjustStock", delta: 1, reason: "found one" },
      { type: "ReserveStock", orderId: "order-1", quantity: 1, currency: "EUR", placedAt: now },
    ] satisfies ProductCommand[]) {
      expect(given(created, archived).when(command)).toMatchObject({
        ok: false,
        error: { code: "PRODUCT.ARCHIVED" },
      });
    }
    expect(given(created, archived).when({ type: "ArchiveProduct" })).toEqual({
      ok: true,
      value: [],
    });
  });

  const reserveFor = (orderId: string, quantity: number, fields: Partial<ProductCommand> = {}) =>
    ({
      type: "ReserveStock",
      orderId,
      quantity,
      currency: "EUR",
      placedAt: now,
      ...fields,
    }) as ProductCommand;
  const reserved: ProductEvent = {
    type: "StockReserved",
    data: { orderId: "order-1", quantity: 2, stock: 1 },
  };

  it("reserves stock for an order once, and releases it once", () => {
    expect(given(created).when(reserveFor("order-1", 2))).toEqual({ ok: true, value: [reserved] });
    expect(given(created, reserved).when(reserveFor("order-1", 2))).toEqual({
      ok: true,
      value: [],
    });
    expect(given(created, reserved).when(reserveFor("order-2", 2))).toMatchObject({
      ok: false,
      error: { code: "PRODUCT.INSUFFICIENT_STOCK", details: { currentStock: 1 } },
    });
    const released: ProductEvent = {
      type: "StockReleased",
      data: { orderId: "order-1", quantity: 2, stock: 3 },
    };
    expect(given(created, reserved).when({ type: "ReleaseStock", orderId: "order-1" })).toEqual({
      ok: true,
      value: [released],
    });
    expect(
      given(created, reserved, released).when({ type: "ReleaseStock", orderId: "order-1" }),
    ).toEqual({ ok: true, value: [] });
  });

  it("remembers a release that came first, and refuses the order's reservation after it", () => {
    const releasedFirst: ProductEvent = {
      type: "StockReleased",
      data: { orderId: "order-1", quantity: 0, stock: 3 },
    };
    expect(given(created).when({ type: "ReleaseStock", orderId: "order-1" })).toEqual({
      ok: true,
      value: [releasedFirst],
    });
    expect(given(created, releasedFirst).when(reserveFor("order-1", 1))).toMatchObject({
      ok: false,
      error: { code: "PRODUCT.RESERVATION_RELEASED" },
    });
  });

  it("refuses a reservation in another currency, or for an order older than an hour", () => {
    expect(given(created).when(reserveFor("order-1", 1, { currency: "USD" }))).toMatchObject({
      ok: false,
      error: { code: "PRODUCT.CURRENCY_MISMATCH", details: { currency: "EUR" } },
    });
    const placedLongAgo = new Date(Date.parse(now) - 61 * 60 * 1000).toISOString();
    expect(
      given(created).when(reserveFor("order-1", 1, { placedAt: placedLongAgo })),
    ).toMatchObject({ ok: false, error: { code: "PRODUCT.RESERVATION_TOO_LATE" } });
  });

  it("commits an order's reservation at shipping: the units stay gone, the entry leaves", () => {
    const committed: ProductEvent = {
      type: "ReservationCommitted",
      data: { orderId: "order-1", quantity: 2 },
    };
    expect(
      given(created, reserved).when({ type: "CommitReservation", orderId: "order-1" }),
    ).toEqual({ ok: true, value: [committed] });
    const state = stateAfter(created, reserved, committed);
    expect(state).toMatchObject({ stock: 1, reservations: {} });
    expect(
      given(created, reserved, committed).when({ type: "CommitReservation", orderId: "order-1" }),
    ).toEqual({ ok: true, value: [] });
  });

  it("keeps no entry of settled orders: releases leave after the reservation window", () => {
    const release = (orderId: string): ProductEvent => ({
      type: "StockReleased",
      data: { orderId, quantity: 0, stock: 3 },
    });
    const later = new Date(Date.parse(now) + 2 * 60 * 60 * 1000).toISOString();
    const state = [created, release("a"), release("b")]
      .map((event, index) => ({ ...event, version: index + 1, occurredAt: now }))
      .concat([{ ...release("c"), version: 4, occurredAt: later }])
      .reduce(productDecider.evolve, productDecider.initialState());
    expect(state?.releasedOrders).toEqual({ c: later });
  });
});
