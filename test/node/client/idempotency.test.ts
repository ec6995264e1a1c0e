import { describe, expect, it } from "vitest";
import { createApiClient } from "../../../client/src/index";
import { idempotentOperations } from "../../../scripts/openapi.mjs";
import { EXPIRED, fakeApi, json, problem, tokens } from "./fake-api";

// Paths of their own, shaped as openapi.json describes POST /api/orders (a required
// Idempotency-Key header), so these tests pin the middleware and not the generated types.
interface OrderPaths {
  "/api/orders": {
    post: {
      parameters: { header: { "idempotency-key": string } };
      requestBody: {
        content: { "application/json": { items: { productId: string; quantity: number }[] } };
      };
      responses: { 201: { content: { "application/json": { id: string; status: string } } } };
    };
  };
  "/api/users": {
    post: {
      requestBody: { content: { "application/json": { email: string } } };
      responses: { 201: { content: { "application/json": { id: string } } } };
    };
  };
}

const ORDERS = [{ method: "POST", path: "/api/orders" }];
const order = { items: [{ productId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f72", quantity: 2 }] };
const PRINTABLE_ASCII_1_TO_255 = /^[\x20-\x7e]{1,255}$/;

function ordersClient(handle: Parameters<typeof fakeApi>[0] = () => json({ id: "o1" }, 201)) {
  const api = fakeApi(handle);
  const client = createApiClient<OrderPaths>({
    baseUrl: "http://api.test",
    fetch: api.fetch,
    idempotentOperations: ORDERS,
  });
  return { api, client };
}

describe("Idempotency-Key for order creation", () => {
  it("generates a key the caller did not pass, 1 to 255 printable ASCII characters", async () => {
    const { api, client } = ordersClient();
    await client.POST("/api/orders", { body: order });
    const key = api.requests[0]?.request.headers.get("idempotency-key");
    expect(key).toMatch(PRINTABLE_ASCII_1_TO_255);
  });

  it("gives each new order its own key", async () => {
    const { api, client } = ordersClient();
    await client.POST("/api/orders", { body: order });
    await client.POST("/api/orders", { body: order });
    const keys = api.requests.map(({ request }) => request.headers.get("idempotency-key"));
    // Both carry a key (two missing keys would also differ from nothing), and not the same one.
    expect(keys).toEqual([
      expect.stringMatching(PRINTABLE_ASCII_1_TO_255),
      expect.stringMatching(PRINTABLE_ASCII_1_TO_255),
    ]);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("keeps a key the caller passes, so a retry of an unanswered call is the same order", async () => {
    const { api, client } = ordersClient();
    const params = { header: { "idempotency-key": "order-2026-11-26-0001" } };
    await client.POST("/api/orders", { body: order, params });
    expect(api.requests[0]?.request.headers.get("idempotency-key")).toBe("order-2026-11-26-0001");
  });

  it("leaves other operations alone", async () => {
    const { api, client } = ordersClient(() => json({ id: "u1" }, 201));
    await client.POST("/api/users", { body: { email: "ada@example.com" } });
    expect(api.requests[0]?.request.headers.has("idempotency-key")).toBe(false);
  });

  it("sends the same key again when a 401 makes it retry with a refreshed token", async () => {
    const { api, client } = ordersClient((request) => {
      if (request.url.endsWith("/api/auth/login")) return json(tokens(1));
      if (request.url.endsWith("/api/auth/refresh")) return json(tokens(2));
      const token = request.headers.get("authorization");
      return token === "Bearer access-2" ? json({ id: "o1" }, 201) : problem(401, {}, EXPIRED);
    });
    await client.login({ email: "ada@example.com", password: "correct horse battery" });
    const { response } = await client.POST("/api/orders", { body: order });
    expect(response.status).toBe(201);
    const keys = api.requests
      .filter(({ request }) => request.url.endsWith("/api/orders"))
      .map(({ request }) => request.headers.get("idempotency-key"));
    expect(keys).toEqual([
      expect.stringMatching(PRINTABLE_ASCII_1_TO_255),
      expect.stringMatching(PRINTABLE_ASCII_1_TO_255),
    ]);
    expect(keys[1]).toBe(keys[0]);
  });
});

describe("which operations take a key", () => {
  it("by default, those of openapi.json: POST /api/orders", async () => {
    const api = fakeApi(() => json({ id: "o1" }, 201));
    const client = createApiClient({ baseUrl: "http://api.test", fetch: api.fetch });
    await client.POST("/api/orders", { body: order });
    await client.POST("/api/products", {
      body: { sku: "TEA-1", name: "Tea", price: { amount: 1, currency: "EUR" } },
    });
    const [orders, products] = api.requests.map(({ request }) => request.headers);
    expect(orders?.get("idempotency-key")).toMatch(PRINTABLE_ASCII_1_TO_255);
    expect(products?.has("idempotency-key")).toBe(false);
  });

  it("are those whose request declares an Idempotency-Key header in the document", () => {
    const header = { name: "Idempotency-Key", in: "header", required: true };
    const document = {
      paths: {
        "/api/orders": { post: { parameters: [header] }, get: { parameters: [] } },
        "/api/users": { post: {} },
      },
      components: {},
    };
    expect(idempotentOperations(document)).toEqual(ORDERS);
  });
});
