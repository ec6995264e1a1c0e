import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { EFFECT_ATTEMPTS } from "../../../src/eventlog/event-log.do";
import { productAggregate } from "../../../src/modules/products";
import type { Product } from "../../../src/modules/products/domain/product.aggregate";
import { signedInAdmin, signedUpMember } from "../../support/api";
import { breakLog, executeIn, logOf, readLog, skipBackoff } from "../../support/event-logs";
import { type OrderBody, orderOf, placeOrder, stockOf } from "../../support/orders";
import { createProduct } from "../../support/products";
import { OBJECTS_INSPECTABLE } from "../../support/shape";

/** A product's state as its own log has it. */
async function productState(id: string): Promise<Product> {
  const { events } = await readLog(logOf("product", id));
  return events.reduce(
    productAggregate.evolve as never,
    productAggregate.initialState(),
  ) as Product;
}

describe("the order saga", () => {
  it("sells exactly the stock: 200 concurrent orders for 5 products of 10 → 50 confirmed", async () => {
    const { token: admin } = await signedInAdmin();
    const products = await Promise.all(
      Array.from({ length: 5 }, () => createProduct(admin, { stock: 10 })),
    );
    // Five orders each: within a customer's placements a minute and unpaid orders.
    const customers = await Promise.all(Array.from({ length: 40 }, () => signedUpMember()));

    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        placeOrder((customers[i % 40] as { token: string }).token, [
          { productId: (products[i % 5] as { id: string }).id, quantity: 1 },
        ]),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(50);
    expect(statuses.filter((status) => status === 409)).toHaveLength(150);
    const confirmed = await Promise.all(
      responses.filter((r) => r.status === 201).map((r) => r.json() as Promise<OrderBody>),
    );
    for (const product of products) {
      expect(await stockOf(product.id)).toBe(0);
      const units = confirmed
        .flatMap((order) => order.lines)
        .filter((line) => line.productId === product.id)
        .reduce((sum, line) => sum + line.quantity, 0);
      expect(units).toBe(10);
      // What the log holds for orders is exactly what confirmed orders hold.
      // Inside the objects: only the monolith's runner can look (OBJECTS_INSPECTABLE).
      if (!OBJECTS_INSPECTABLE) continue;
      const state = await productState(product.id);
      expect(Object.values(state.reservations).reduce((sum, n) => sum + n, 0)).toBe(units);
      expect(Object.keys(state.reservations).sort()).toEqual(
        confirmed
          .filter((order) => order.lines[0]?.productId === product.id)
          .map((order) => order.id)
          .sort(),
      );
    }
  }, 120_000);

  // Breaks a product's log and runs the order's alarm from inside the objects: the monolith's only.
  it.skipIf(!OBJECTS_INSPECTABLE)(
    "after a failure between two reservations, the alarm brings the order to a final state",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { token } = await signedUpMember();
      const healthy = await createProduct(admin, { stock: 5 });
      const broken = await createProduct(admin, { stock: 5 });
      const repair = await breakLog("product", broken.id);
      const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);

      const response = await placeOrder(token, [
        { productId: healthy.id, quantity: 2 },
        { productId: broken.id, quantity: 1 },
      ]);

      // The request could not settle the order: it says so, and the order's alarm goes on.
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("2");
      const { orderId } = (await response.json()) as { orderId: string };
      expect(await stockOf(healthy.id)).toBe(3);
      const order = logOf("order", orderId);
      for (let attempt = 2; attempt <= EFFECT_ATTEMPTS; attempt++) {
        await skipBackoff("order", orderId);
        await runDurableObjectAlarm(order);
      }
      // Given up: rejected, and the healthy product's units are back.
      const rejected = await orderOf(orderId, token);
      expect(rejected.status).toBe("rejected");
      expect(rejected.lines.find((line) => line.productId === broken.id)?.refusal).toEqual({
        reason: "unavailable",
      });
      expect(await stockOf(healthy.id)).toBe(5);

      // The broken product may have reserved before failing: it is released once it answers.
      await repair();
      await skipBackoff("order", orderId);
      await runDurableObjectAlarm(order);
      errors.mockRestore();
      const settled = await orderOf(orderId, token);
      expect(settled.lines.map((line) => line.status)).toEqual(["released", "released"]);
      expect((await productState(broken.id)).reservations).toEqual({});
      expect((await productState(healthy.id)).reservations).toEqual({});
      expect(await stockOf(broken.id)).toBe(5);
      // Nothing is owed any more: the alarm is gone.
      expect(await runDurableObjectAlarm(order)).toBe(false);
      // A reservation arriving now, late, is refused: the release came first.
      const late = await executeIn("product", broken.id, {
        type: "ReserveStock",
        orderId,
        quantity: 1,
        currency: "EUR",
        placedAt: settled.placedAt,
      });
      expect(late).toMatchObject({ ok: false, error: { code: "PRODUCT.RESERVATION_RELEASED" } });
    },
  );
});
