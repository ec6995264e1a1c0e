import { describe, expect, it } from "vitest";
import { api, signedInAdmin, signedUpMember } from "./api";
import { placeOrder } from "./orders";
import { createProduct } from "./products";
import { contractChecker, type OpenApiDocument } from "./response-contract";

// The validator every HTTP test goes through (support/api.ts) is only worth its word if it says
// no: each test here hands it a response that breaks the contract, and one that keeps it.

const served = async () => (await (await api("/openapi.json")).json()) as OpenApiDocument;

const json = (body: unknown, status = 200, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": type } });

/** A confirmed order's id and a rejected order (its total null), as GET /api/orders/{id} says. */
async function ordersWithAndWithoutTotal() {
  const { token: admin } = await signedInAdmin();
  const { token } = await signedUpMember();
  const product = await createProduct(admin, { stock: 1 });
  const confirmed = await placeOrder(token, [{ productId: product.id, quantity: 1 }]);
  expect(confirmed.status).toBe(201);
  const rejected = await placeOrder(token, [{ productId: product.id, quantity: 1 }]);
  expect(rejected.status).toBe(409);
  const { orderId } = (await rejected.json()) as { orderId: string };
  return { token, confirmedId: ((await confirmed.json()) as { id: string }).id, orderId };
}

describe("the response validator of the HTTP tests", () => {
  it("fails a rejected order's total: null under zod-to-openapi's allOf spelling of a nullable $ref", async () => {
    const document = await served();
    const order = document.components.schemas.Order as { properties: Record<string, unknown> };
    // What `.nullable()` of the Money component generated before orNull (issue 15).
    order.properties.total = {
      allOf: [{ $ref: "#/components/schemas/Money" }, { type: ["object", "null"] }],
    };
    const { token, orderId } = await ordersWithAndWithoutTotal();
    const response = await api(`/api/orders/${orderId}`, { token });
    expect(((await response.clone().json()) as { total: unknown }).total).toBeNull();
    await expect(
      contractChecker(document).check("GET", `/api/orders/${orderId}`, response),
    ).rejects.toThrow(/GET \/api\/orders\/\{id\} answered 200 with a body that breaks its schema/);
    // The document the Worker serves takes it.
    await contractChecker(await served()).check("GET", `/api/orders/${orderId}`, response);
  });

  it("fails a status the operation does not declare", async () => {
    const document = await served();
    const health = document.paths["/health"]?.get;
    if (!health) throw new Error("GET /health is not in the document");
    const response = await api("/health");
    await contractChecker(document).check("GET", "/health", response);
    health.responses = { 201: health.responses["200"] ?? {} };
    await expect(contractChecker(document).check("GET", "/health", response)).rejects.toThrow(
      "GET /health answered 200, which it does not declare (it declares 201)",
    );
  });

  it("fails a body that breaks the declared schema, and a media type it does not declare", async () => {
    const checker = contractChecker(await served());
    await expect(checker.check("GET", "/health", json({ status: "fine" }))).rejects.toThrow(
      /GET \/health answered 200 with a body that breaks its schema/,
    );
    await expect(
      checker.check("GET", "/health", json({ status: "ok" }, 200, "application/problem+json")),
    ).rejects.toThrow(/declares application\/json for it/);
    await expect(
      checker.check(
        "GET",
        "/health",
        new Response("ok", { headers: { "content-type": "text/plain" } }),
      ),
    ).rejects.toThrow(/not JSON/);
  });

  it("holds an unknown path, or another method, to the problem schema", async () => {
    const checker = contractChecker(await served());
    const notFound = await api("/no/such/page");
    expect(notFound.status).toBe(404);
    await checker.check("GET", "/no/such/page", notFound);
    await expect(
      checker.check("GET", "/no/such/page", json({ error: "not found" }, 404)),
    ).rejects.toThrow(/GET \/no\/such\/page \(no operation\) answered 404/);
    const wrongMethod = await api("/health", { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    await checker.check("DELETE", "/health", wrongMethod);
  });

  it("matches a literal path before a template, and takes a declared 304 without a body", async () => {
    const document = await served();
    const checker = contractChecker(document);
    const { user, token } = await signedUpMember();
    // /api/users/me is its own operation: its 200 declares no 304, /api/users/{id}'s does.
    await checker.check("GET", "/api/users/me", await api("/api/users/me", { token }));
    const notModified = await api(`/api/users/${user.id}`, {
      token,
      headers: { "if-none-match": `"${user.version}"` },
    });
    expect(notModified.status).toBe(304);
    await checker.check("GET", `/api/users/${user.id}`, notModified);
    await expect(checker.check("GET", "/api/users/me", notModified)).rejects.toThrow(
      "GET /api/users/me answered 304, which it does not declare",
    );
  });
});
