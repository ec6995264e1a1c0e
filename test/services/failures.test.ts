import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { api, problemOf, signedInAdmin, signedUpMember } from "../support/api";
import { type OrderBody, placeOrder } from "../support/orders";
import { createProduct } from "../support/products";

// Failures between the services shape's Workers (issue 16, ADR 0039). The project puts a switch
// (test/services/service-switch.worker.js) on the real service bindings to the users and the
// products service; these tests make a service fail through it. Only the services shape has
// bindings between Workers to fail, so this file runs in the "services" project only.

type Failures = Record<string, "down" | "lose-answer">;

interface Switch {
  set(failures: Failures): Promise<void>;
  counts(): Promise<Record<string, number>>;
  reset(): Promise<void>;
}

const switches = env as unknown as { USERS_SWITCH: Switch; PRODUCTS_SWITCH: Switch };

afterEach(async () => {
  await switches.USERS_SWITCH.reset();
  await switches.PRODUCTS_SWITCH.reset();
});

/** GET /api/orders/{id} until the order leaves `pending`, or fails the test after `ms`. */
async function settledOrder(token: string, id: string, ms = 15_000): Promise<OrderBody> {
  const deadline = Date.now() + ms;
  for (;;) {
    const response = await api(`/api/orders/${id}`, { token });
    const order = (await response.json()) as OrderBody;
    if (order.status !== "pending") return order;
    if (Date.now() > deadline) throw new Error(`order ${id} still pending after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const stockOf = async (productId: string) =>
  ((await (await api(`/api/products/${productId}`)).json()) as { stock: number }).stock;

describe("with the users service down", () => {
  it("answers authenticated routes 503 with Retry-After, and keeps public catalogue reads working", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin.token);
    const member = await signedUpMember();
    await switches.USERS_SWITCH.set({ handle: "down", authenticate: "down", ready: "down" });

    for (const [path, token] of [
      ["/api/users/me", member.token],
      ["/api/orders", member.token],
      [`/api/products/${product.id}`, admin.token],
    ] as const) {
      const response = await api(path, { token });
      expect(response.status, path).toBe(503);
      expect(response.headers.get("retry-after"), path).toMatch(/^\d+$/);
      expect((await problemOf(response)).code, path).toBe("SERVICE_UNAVAILABLE");
    }

    const catalogue = await api("/api/products");
    expect(catalogue.status).toBe(200);
    // A signed-in client sends its token everywhere: a public read still needs no users service.
    const signedInCatalogue = await api("/api/products", { token: member.token });
    expect(signedInCatalogue.status).toBe(200);
    const one = await api(`/api/products/${product.id}`);
    expect(one.status).toBe(200);

    const ready = await api("/health/ready");
    expect(ready.status).toBe(503);
    expect(await problemOf(ready)).toMatchObject({
      checks: {
        "users.d1": { status: "fail" },
        "users.jwtSecret": { status: "fail" },
        jwtSecret: { status: "fail" },
        d1: { status: "fail" },
        "products.d1": { status: "ok" },
      },
    });
  });
});

describe("with the products service failing during an order", () => {
  it("retries the saga's stock steps whose answers were lost: each reservation applies once", async () => {
    const admin = await signedInAdmin();
    const products = await Promise.all([1, 2, 3].map(() => createProduct(admin.token)));
    const member = await signedUpMember();
    // Every stock command reaches its product's log, and every answer is lost on the way back.
    await switches.PRODUCTS_SWITCH.set({ execute: "lose-answer" });
    const placed = await placeOrder(
      member.token,
      products.map((product, index) => ({ productId: product.id, quantity: index + 1 })),
    );
    // No product answered in time: the order is pending, and the client is told to retry.
    expect(placed.status).toBe(503);
    expect(placed.headers.get("retry-after")).toMatch(/^\d+$/);
    const { orderId } = (await problemOf(placed)) as { orderId?: string };
    expect(orderId).toBeDefined();
    expect((await switches.PRODUCTS_SWITCH.counts()).execute).toBeGreaterThanOrEqual(3);

    await switches.PRODUCTS_SWITCH.set({});
    const order = await settledOrder(member.token, orderId as string);
    expect(order.status).toBe("confirmed");
    expect(order.lines.map((line) => line.status)).toEqual(["reserved", "reserved", "reserved"]);
    // Sent again and again, each reservation was applied exactly once.
    for (const [index, product] of products.entries()) {
      expect(await stockOf(product.id)).toBe(product.stock - (index + 1));
    }
  });

  it("retries stock steps that never reached the products service, and ends the order", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin.token, { stock: 5 });
    const member = await signedUpMember();
    await switches.PRODUCTS_SWITCH.set({ execute: "down" });
    const placed = await placeOrder(member.token, [{ productId: product.id, quantity: 2 }]);
    expect(placed.status).toBe(503);
    const { orderId } = (await problemOf(placed)) as { orderId?: string };
    expect(await stockOf(product.id)).toBe(5);

    await switches.PRODUCTS_SWITCH.set({});
    const order = await settledOrder(member.token, orderId as string);
    expect(order.status).toBe("confirmed");
    expect(await stockOf(product.id)).toBe(3);
  });

  it("answers 503 with Retry-After, not 500, when the products service is down for a read", async () => {
    await switches.PRODUCTS_SWITCH.set({ handle: "down" });
    const response = await api("/api/products");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});
