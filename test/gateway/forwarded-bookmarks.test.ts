import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApiClient } from "../../client/src/index";
import { createGateway } from "../../src/gateway/app";
import { NO_BEARER_TOKEN } from "../../src/gateway/authentication";
import { forwardingRouter, type RequestHandlingService } from "../../src/gateway/forwarding";
import { buildHealthRoutes } from "../../src/gateway/health.routes";
import { BASE, problemOf } from "../support/api";

// The services shape's gateway and its D1 bookmarks (ADR 0041). Each service here is a small
// in-test object in place of a service binding (no D1 and no Durable Object is stood in for): it
// records the bookmark it was sent and answers with the one it is told to, as a service's own D1
// session would. What the services themselves do with it is the monolith's tested code.

const HEADER = "x-d1-bookmark";

/** A well-formed D1 bookmark at position `step` (the second group, as local D1 moves it). */
const at = (step: number) =>
  `0000007b-${step.toString(16).padStart(8, "0")}-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b`;

/** A service that answers every request with `bookmark` (none when undefined). */
function standInService(name: string) {
  const received: { bookmark: string | null; body: string }[] = [];
  let bookmark: string | undefined;
  const service: RequestHandlingService = {
    async handle(request) {
      const body = await request.text();
      received.push({ bookmark: request.headers.get(HEADER), body });
      const headers = new Headers({ "content-type": "application/json" });
      if (bookmark !== undefined) headers.set(HEADER, bookmark);
      return new Response(JSON.stringify({ service: name }), { headers });
    },
  };
  return {
    service,
    received,
    /** The bookmark of this service's database that its next answers carry. */
    answersWith(next: string | undefined) {
      bookmark = next;
    },
  };
}

/** The gateway of the services shape, forwarding to stand-ins for the products and orders. */
function servicesGateway() {
  const products = standInService("products");
  const orders = standInService("orders");
  const app = createGateway(
    [
      ["/health", () => buildHealthRoutes(async () => ({}))],
      [
        "/api/products",
        () =>
          forwardingRouter({
            name: "products",
            service: () => products.service,
            answersWhoCalls: true,
          }),
      ],
      [
        "/api/orders",
        () =>
          forwardingRouter({
            name: "orders",
            service: () => orders.service,
            answersWhoCalls: true,
          }),
      ],
    ],
    { authenticator: async () => NO_BEARER_TOKEN, holdsData: false },
  );
  const fetch = async (request: Request) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  const request = (path: string, init: RequestInit = {}) =>
    fetch(new Request(`${BASE}${path}`, init));
  return { products, orders, fetch, request };
}

const sending = (bookmark: string) => ({ headers: { [HEADER]: bookmark } });

describe("the services gateway's D1 bookmarks (one per service database)", () => {
  it("sends a service none at first, and answers with that service's bookmark by name", async () => {
    const { products, request } = servicesGateway();
    products.answersWith(at(5));
    const response = await request("/api/products");
    expect(response.status).toBe(200);
    expect(products.received[0]?.bookmark).toBeNull();
    expect(response.headers.get(HEADER)).toBe(`products:${at(5)}`);
  });

  it("sends each service only its own database's bookmark, and answers the others unchanged", async () => {
    const { products, orders, request } = servicesGateway();
    const held = `orders:${at(9)},products:${at(2)},users:${at(4)}`;
    products.answersWith(at(3));
    const read = await request("/api/products/p-1", sending(held));
    expect(products.received[0]?.bookmark).toBe(at(2));
    expect(read.headers.get(HEADER)).toBe(`orders:${at(9)},products:${at(3)},users:${at(4)}`);

    orders.answersWith(at(11));
    const placed = await request("/api/orders", {
      method: "POST",
      headers: { [HEADER]: read.headers.get(HEADER) ?? "", "content-type": "application/json" },
      body: JSON.stringify({ lines: [] }),
    });
    // The forwarded request is a new one (new headers), with the body intact.
    expect(orders.received[0]).toEqual({ bookmark: at(9), body: JSON.stringify({ lines: [] }) });
    expect(placed.headers.get(HEADER)).toBe(`orders:${at(11)},products:${at(3)},users:${at(4)}`);
  });

  it("sends no bookmark to a service the composite does not name", async () => {
    const { orders, request } = servicesGateway();
    orders.answersWith(at(1));
    const response = await request("/api/orders", sending(`products:${at(7)}`));
    expect(orders.received[0]?.bookmark).toBeNull();
    expect(response.headers.get(HEADER)).toBe(`orders:${at(1)},products:${at(7)}`);
  });

  it("never answers an older bookmark of a database than the client sent", async () => {
    const { products, request } = servicesGateway();
    products.answersWith(at(2));
    const response = await request("/api/products", sending(`products:${at(6)}`));
    expect(response.headers.get(HEADER)).toBe(`products:${at(6)}`);
  });

  it("accepts a plain bookmark (the monolith's) and sends it to no service", async () => {
    const { products, request } = servicesGateway();
    products.answersWith(at(8));
    const response = await request("/api/products", sending(at(40)));
    expect(response.status).toBe(200);
    expect(products.received[0]?.bookmark).toBeNull();
    expect(response.headers.get(HEADER)).toBe(`products:${at(8)}`);
  });

  it("answers with no bookmark when the service read no D1, as the monolith does", async () => {
    const { products, request } = servicesGateway();
    products.answersWith(undefined);
    const response = await request("/api/products", sending(`products:${at(6)}`));
    expect(response.status).toBe(200);
    expect(response.headers.get(HEADER)).toBeNull();
  });

  it("answers a malformed header with the monolith's 400 naming it, before any service runs", async () => {
    const { products, request } = servicesGateway();
    products.answersWith(at(1));
    const malformed = [
      "garbage",
      "",
      `products:${at(1)},`,
      `products:${at(1)},products:${at(2)}`,
      `Products:${at(1)}`,
      `${at(1)},orders:${at(2)}`,
    ];
    for (const value of malformed) {
      for (const path of ["/api/products", "/api/nowhere", "/health/ready"]) {
        const response = await request(path, sending(value));
        expect(response.status, `${path} with ${value}`).toBe(400);
        const problem = await problemOf(response);
        expect(problem.code).toBe("D1_BOOKMARK.INVALID");
        expect(problem.errors).toEqual([
          { field: `header.${HEADER}`, message: expect.any(String) },
        ]);
        expect(response.headers.get(HEADER)).toBeNull();
      }
    }
    expect(products.received).toEqual([]);
  });

  it("keeps every database's newest bookmark in the typed client, whatever order answers come in", async () => {
    const { products, orders, fetch } = servicesGateway();
    let send = fetch;
    const client = createApiClient({ baseUrl: BASE, fetch: (request: Request) => send(request) });
    products.answersWith(at(2));
    orders.answersWith(at(3));
    await client.GET("/api/products");
    await client.GET("/api/orders");
    expect(client.session.d1Bookmark).toBe(`orders:${at(3)},products:${at(2)}`);

    // Two requests sent together from the same held composite (neither goes out before both
    // left the client): each answer moves one database on, and neither names the other's move.
    products.answersWith(at(20));
    orders.answersWith(at(30));
    const leaving: (() => void)[] = [];
    send = async (request) => {
      await new Promise<void>((resolve) => {
        leaving.push(resolve);
        if (leaving.length === 2) for (const go of leaving) go();
      });
      return fetch(request);
    };
    await Promise.all([client.GET("/api/orders"), client.GET("/api/products")]);
    expect(client.session.d1Bookmark).toBe(`orders:${at(30)},products:${at(20)}`);
    expect(products.received.at(-1)?.bookmark).toBe(at(2));
    expect(orders.received.at(-1)?.bookmark).toBe(at(3));
  });
});
