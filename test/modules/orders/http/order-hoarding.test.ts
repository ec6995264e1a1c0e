import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../../src/db/client";
import worker from "../../../../src/index";
import { requestHash } from "../../../../src/modules/orders/application/idempotency";
import { d1IdempotencyStore } from "../../../../src/modules/orders/infrastructure/d1-idempotency.store";
import { d1OrderHolds } from "../../../../src/modules/orders/infrastructure/d1-order-holds";
import { api, apiWith, problemOf, signedInAdmin, signedUpMember } from "../../../support/api";
import { newKey, type OrderBody, outliveLease, placeOrder, stockOf } from "../../../support/orders";
import { createProduct } from "../../../support/products";
import { roomInRateWindow } from "../../../support/rate-limits";
import { dbOf, SHAPE } from "../../../support/shape";

type Item = { productId: string; quantity: number };

/**
 * A placement with the caps set as an operator would in wrangler.toml. It runs the monolith's app
 * with those bindings (apiWith), which the services shape cannot: there the orders service reads
 * its own, so the tests that set caps run in the monolith only (CAPS_SET_PER_TEST).
 */
const placeWithCaps = (
  caps: { orders: number; units: number },
  token: string,
  items: Item[],
  key = newKey(),
) =>
  apiWith(
    { ORDER_MAX_UNPAID_ORDERS: String(caps.orders), ORDER_MAX_UNPAID_UNITS: String(caps.units) },
    "/api/orders",
    { method: "POST", token, headers: { "idempotency-key": key }, json: { items } },
  );

/** How many responses had each status, e.g. `{ 201: 3, 409: 7 }`. */
const countStatuses = (responses: Response[]) =>
  responses.reduce<Record<number, number>>((counts, response) => {
    counts[response.status] = (counts[response.status] ?? 0) + 1;
    return counts;
  }, {});

/** The codes of the problem documents among `responses`, counted. */
async function countCodes(responses: Response[]) {
  const codes: Record<string, number> = {};
  for (const response of responses.filter((r) => r.status >= 400)) {
    const { code } = await problemOf(response);
    codes[code as string] = (codes[code as string] ?? 0) + 1;
  }
  return codes;
}

const holdsOf = async (customerId: string) =>
  (
    await dbOf("orders")
      .prepare(
        "SELECT order_id AS orderId, units, expires_at AS expiresAt FROM order_holds WHERE customer_id = ?",
      )
      .bind(customerId)
      .all<{ orderId: string; units: number; expiresAt: number }>()
  ).results;

const post = (path: string, token: string) => api(path, { method: "POST", token });

/** Skips, in the services shape, a test that sets the caps per request (placeWithCaps). */
const CAPS_SET_PER_TEST = SHAPE === "services";

describe("hoarding stock with unpaid orders (OWASP API6)", () => {
  it("refuses one customer's 20 orders of 1,000 units before the stock is gone; others still buy", {
    timeout: 70_000,
  }, async () => {
    // It counts up to the per-customer limit: a window ending half-way would reset it.
    await roomInRateWindow(30);
    const { token: admin } = await signedInAdmin();
    const hoarder = await signedUpMember();
    const buyer = await signedUpMember();
    const tea = await createProduct(admin, { stock: 20_000 });

    const responses: Response[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      responses.push(await placeOrder(hoarder.token, [{ productId: tea.id, quantity: 1000 }]));
    }

    // The first order holds all the units one customer's unpaid orders may (1000 by default),
    // the next nine are refused for it, and the per-customer limit (10 a minute) stops the rest.
    expect(responses.map((response) => response.status)).toEqual([
      201,
      ...Array(9).fill(409),
      ...Array(10).fill(429),
    ]);
    expect(await countCodes(responses)).toEqual({ "ORDER.TOO_MANY_UNPAID": 9, RATE_LIMITED: 10 });
    expect(await stockOf(tea.id)).toBe(19_000);

    const bought = await placeOrder(buyer.token, [{ productId: tea.id, quantity: 1000 }]);
    expect(bought.status).toBe(201);
    expect(await stockOf(tea.id)).toBe(18_000);
  });

  it.skipIf(CAPS_SET_PER_TEST)(
    "answers the cap with 409 ORDER.TOO_MANY_UNPAID naming the caps and what is held",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { token } = await signedUpMember();
      const tea = await createProduct(admin, { stock: 100 });
      const caps = { orders: 2, units: 50 };
      expect((await placeWithCaps(caps, token, [{ productId: tea.id, quantity: 30 }])).status).toBe(
        201,
      );

      const tooMany = await placeWithCaps(caps, token, [{ productId: tea.id, quantity: 21 }]);

      expect(tooMany.status).toBe(409);
      expect(await problemOf(tooMany)).toMatchObject({
        type: "urn:problem:order.too_many_unpaid",
        code: "ORDER.TOO_MANY_UNPAID",
        maxUnpaidOrders: 2,
        maxUnpaidUnits: 50,
        unpaidOrders: 1,
        unpaidUnits: 30,
      });
      // What is left under the cap can still be ordered.
      expect((await placeWithCaps(caps, token, [{ productId: tea.id, quantity: 20 }])).status).toBe(
        201,
      );
      expect(await stockOf(tea.id)).toBe(50);
    },
  );

  it.skipIf(CAPS_SET_PER_TEST)(
    "holds the order cap under concurrent placements by one customer",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { user, token } = await signedUpMember();
      const tea = await createProduct(admin, { stock: 100 });

      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          placeWithCaps({ orders: 3, units: 1000 }, token, [{ productId: tea.id, quantity: 1 }]),
        ),
      );

      expect(countStatuses(responses)).toEqual({ 201: 3, 409: 7 });
      expect(await countCodes(responses)).toEqual({ "ORDER.TOO_MANY_UNPAID": 7 });
      expect(await stockOf(tea.id)).toBe(97);
      expect(await holdsOf(user.id)).toHaveLength(3);
    },
  );

  it.skipIf(CAPS_SET_PER_TEST)(
    "holds the unit cap under concurrent placements by one customer",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { token } = await signedUpMember();
      const tea = await createProduct(admin, { stock: 10_000 });

      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          placeWithCaps({ orders: 10, units: 1000 }, token, [{ productId: tea.id, quantity: 400 }]),
        ),
      );

      expect(countStatuses(responses)).toEqual({ 201: 2, 409: 4 });
      expect(await stockOf(tea.id)).toBe(9_200);
    },
  );

  it.skipIf(CAPS_SET_PER_TEST)(
    "frees an order's hold once it is paid, cancelled or rejected",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { user, token } = await signedUpMember();
      const tea = await createProduct(admin, { stock: 10 });
      const one = { orders: 1, units: 1000 };
      const line = [{ productId: tea.id, quantity: 1 }];

      const first = (await (await placeWithCaps(one, token, line)).json()) as OrderBody;
      const waitingKey = newKey();
      expect((await placeWithCaps(one, token, line, waitingKey)).status).toBe(409);

      // Paid: the refused key was given back, so the same request may come again.
      expect((await post(`/api/orders/${first.id}/pay`, admin)).status).toBe(200);
      expect(await holdsOf(user.id)).toEqual([]);
      const second = await placeWithCaps(one, token, line, waitingKey);
      expect(second.status).toBe(201);
      expect(second.headers.get("idempotent-replayed")).toBeNull();

      // Cancelled.
      const { id: secondId } = (await second.json()) as OrderBody;
      expect((await placeWithCaps(one, token, line)).status).toBe(409);
      expect((await post(`/api/orders/${secondId}/cancel`, token)).status).toBe(200);
      const third = (await (await placeWithCaps(one, token, line)).json()) as OrderBody;
      expect(third.status).toBe("confirmed");

      // Rejected (too little stock): its hold goes with it.
      expect((await post(`/api/orders/${third.id}/cancel`, token)).status).toBe(200);
      const rejected = await placeWithCaps(one, token, [{ productId: tea.id, quantity: 11 }]);
      expect(await problemOf(rejected)).toMatchObject({ code: "ORDER.REJECTED" });
      expect(await holdsOf(user.id)).toEqual([]);
      expect((await placeWithCaps(one, token, line)).status).toBe(201);
    },
  );

  it("gives back the hold of a placement its currencies refuse, though both were asked at once", async () => {
    const { token: admin } = await signedInAdmin();
    const { user, token } = await signedUpMember();
    const euro = await createProduct(admin, { price: { amount: 100, currency: "EUR" } });
    const dollar = await createProduct(admin, { price: { amount: 100, currency: "USD" } });

    const refused = await placeOrder(token, [
      { productId: euro.id, quantity: 1 },
      { productId: dollar.id, quantity: 1 },
    ]);

    expect(await problemOf(refused)).toMatchObject({ code: "ORDER.MIXED_CURRENCIES" });
    expect(await holdsOf(user.id)).toEqual([]);
  });

  it.skipIf(CAPS_SET_PER_TEST)(
    "answers a placement refused for both its currencies and the caps with the currencies' 400",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { user, token } = await signedUpMember();
      const euro = await createProduct(admin, { price: { amount: 100, currency: "EUR" } });
      const dollar = await createProduct(admin, { price: { amount: 100, currency: "USD" } });
      const one = { orders: 1, units: 1000 };
      const first = await placeWithCaps(one, token, [{ productId: euro.id, quantity: 1 }]);
      const placed = (await first.json()) as OrderBody;

      const refused = await placeWithCaps(one, token, [
        { productId: euro.id, quantity: 1 },
        { productId: dollar.id, quantity: 1 },
      ]);

      expect(refused.status).toBe(400);
      expect(await problemOf(refused)).toMatchObject({ code: "ORDER.MIXED_CURRENCIES" });
      expect(await holdsOf(user.id)).toMatchObject([{ orderId: placed.id }]);
    },
  );

  it("never gives back the hold of an order that exists", async () => {
    const { token: admin } = await signedInAdmin();
    const { user, token } = await signedUpMember();
    const tea = await createProduct(admin, { stock: 10 });
    const order = (await (
      await placeOrder(token, [{ productId: tea.id, quantity: 2 }])
    ).json()) as OrderBody;

    await d1OrderHolds(openDatabase(dbOf("orders"))).release(order.id);

    expect(await holdsOf(user.id)).toMatchObject([{ orderId: order.id, units: 2 }]);
  });

  it("keeps a confirmed order's hold until its payment deadline and the grace after it", async () => {
    const { token: admin } = await signedInAdmin();
    const { user, token } = await signedUpMember();
    const tea = await createProduct(admin, { stock: 10 });
    const order = (await (
      await placeOrder(token, [{ productId: tea.id, quantity: 3 }])
    ).json()) as OrderBody;

    expect(await holdsOf(user.id)).toEqual([
      {
        orderId: order.id,
        units: 3,
        expiresAt: Date.parse(order.paymentDueAt as string) + 2 * 60_000,
      },
    ]);
  });

  it.skipIf(CAPS_SET_PER_TEST)(
    "counts a replayed key once: replays take no more room",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { token } = await signedUpMember();
      const tea = await createProduct(admin, { stock: 10 });
      const two = { orders: 2, units: 1000 };
      const line = [{ productId: tea.id, quantity: 1 }];
      const key = newKey();
      expect((await placeWithCaps(two, token, line, key)).status).toBe(201);

      const replays = await Promise.all(
        Array.from({ length: 3 }, () => placeWithCaps(two, token, line, key)),
      );

      expect(replays.map((r) => r.headers.get("idempotent-replayed"))).toEqual([
        "true",
        "true",
        "true",
      ]);
      expect((await placeWithCaps(two, token, line)).status).toBe(201);
      expect((await placeWithCaps(two, token, line)).status).toBe(409);
    },
  );

  // Also writes the dead request's claim and hold with the orders module's own stores.
  it.skipIf(CAPS_SET_PER_TEST)(
    "counts a placement taken over from a request that died once",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { user, token } = await signedUpMember();
      const tea = await createProduct(admin, { stock: 10 });
      const line = [{ productId: tea.id, quantity: 1 }];
      const key = newKey();
      // A first request claimed the key and took its hold, then died before placing the order.
      const db = openDatabase(dbOf("orders"));
      const claim = await d1IdempotencyStore(db).claim(
        user.id,
        key,
        await requestHash({ items: line }),
        crypto.randomUUID(),
      );
      if (claim.kind !== "run") throw new Error(`the key was not fresh: ${claim.kind}`);
      const now = Date.now();
      const caps = { orders: 1, units: 1000 };
      const hold = {
        orderId: claim.orderId,
        customerId: user.id,
        units: 1,
        expiresAt: now + 60_000,
      };
      expect(await d1OrderHolds(db).acquire(hold, caps, now)).toEqual({ kind: "held" });
      await outliveLease(user.id, key);

      const retried = await placeWithCaps(caps, token, line, key);

      expect(retried.status).toBe(201);
      expect(((await retried.json()) as OrderBody).id).toBe(claim.orderId);
      expect(await holdsOf(user.id)).toHaveLength(1);
    },
  );

  // Also runs the monolith's scheduled handler (src/index.ts), not the orders service's.
  it.skipIf(CAPS_SET_PER_TEST)(
    "ignores a hold past its expiry, and the cron run deletes it",
    async () => {
      const { token: admin } = await signedInAdmin();
      const { user, token } = await signedUpMember();
      const tea = await createProduct(admin, { stock: 10 });
      const lapsed = crypto.randomUUID();
      await dbOf("orders")
        .prepare(
          "INSERT INTO order_holds (order_id, customer_id, units, expires_at) VALUES (?, ?, 1000, ?)",
        )
        .bind(lapsed, user.id, Date.now() - 1)
        .run();

      const placed = await placeWithCaps({ orders: 1, units: 1000 }, token, [
        { productId: tea.id, quantity: 1 },
      ]);
      expect(placed.status).toBe(201);
      const { id } = (await placed.json()) as OrderBody;

      await worker.scheduled(createScheduledController(), env, createExecutionContext());
      expect((await holdsOf(user.id)).map((hold) => hold.orderId)).toEqual([id]);
    },
  );
});

describe("rate limits on placing orders (OWASP API4)", () => {
  beforeEach(() => roomInRateWindow(30), 70_000);

  it("limits placements to 30 a minute per address, signed in or not", async () => {
    const ip = "203.0.113.50";
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt++) {
      const response = await api("/api/orders", {
        method: "POST",
        ip,
        headers: { "idempotency-key": newKey() },
        json: { items: [] },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(30).fill(401), 429]);
    // Another address is not affected.
    const { token } = await signedUpMember();
    const other = await api("/api/orders", {
      method: "POST",
      token,
      ip: "203.0.113.51",
      headers: { "idempotency-key": newKey() },
      json: { items: [] },
    });
    expect(other.status).toBe(400);
  });

  it("limits placements to 10 a minute per customer, from any address, and not replays", async () => {
    const { token: admin } = await signedInAdmin();
    const { token } = await signedUpMember();
    const tea = await createProduct(admin, { stock: 100 });
    const line = [{ productId: tea.id, quantity: 1 }];
    const key = newKey();
    expect((await placeOrder(token, line, key)).status).toBe(201);
    const replays = [];
    for (let attempt = 0; attempt < 12; attempt++) replays.push(await placeOrder(token, line, key));
    expect(countStatuses(replays)).toEqual({ 201: 12 });

    const placements: Response[] = [];
    for (let attempt = 0; attempt < 10; attempt++) placements.push(await placeOrder(token, line));

    // Nine more placements run (four confirmed under the 5 unpaid orders cap), the tenth is
    // limited: replays did not count.
    expect(countStatuses(placements)).toEqual({ 201: 4, 409: 5, 429: 1 });
    const limited = placements.at(-1) as Response;
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
  });
});
