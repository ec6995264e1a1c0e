import { describe, expect, it } from "vitest";
import { api, problemOf, signedInAdmin, signedUpMember } from "../../../support/api";
import { createProduct, type ProductBody, uniqueSku } from "../../../support/products";

const UNKNOWN_ID = "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70";
const valid = () => ({
  sku: uniqueSku(),
  name: "Sencha",
  description: "Green tea",
  price: { amount: 650, currency: "EUR" },
  stock: 4,
});

describe("POST /api/products", () => {
  it("creates a product: 201, Location, ETag, upper-cased SKU, price in the same shape", async () => {
    const { token } = await signedInAdmin();
    const sku = uniqueSku("tea").toLowerCase();
    const response = await api("/api/products", {
      method: "POST",
      token,
      json: { ...valid(), sku, price: { amount: 650, currency: "eur" } },
    });
    expect(response.status).toBe(201);
    const product = (await response.json()) as ProductBody;
    expect(product).toMatchObject({
      sku: sku.toUpperCase(),
      name: "Sencha",
      price: { amount: 650, currency: "EUR" },
      stock: 4,
      status: "active",
      version: 1,
    });
    expect(response.headers.get("location")).toBe(`/api/products/${product.id}`);
    expect(response.headers.get("etag")).toBe('"1"');
  });

  it("defaults description to empty and stock to 0", async () => {
    const { token } = await signedInAdmin();
    const { description: _description, stock: _stock, ...minimal } = valid();
    const response = await api("/api/products", { method: "POST", token, json: minimal });
    expect(await response.json()).toMatchObject({ description: "", stock: 0 });
  });

  it("refuses a SKU already taken, in any letter case, with 409", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const response = await api("/api/products", {
      method: "POST",
      token,
      json: { ...valid(), sku: product.sku.toLowerCase() },
    });
    expect(response.status).toBe(409);
    expect(await problemOf(response)).toMatchObject({ code: "PRODUCT.SKU_TAKEN" });
  });

  it.each([
    ["a bad SKU", { sku: "no spaces!" }, "json.sku"],
    ["a short SKU", { sku: "AB" }, "json.sku"],
    ["a negative price", { price: { amount: -1, currency: "EUR" } }, "json.price.amount"],
    ["a fractional price", { price: { amount: 1.5, currency: "EUR" } }, "json.price.amount"],
    ["an unknown currency", { price: { amount: 100, currency: "XYZ" } }, "json.price.currency"],
    ["an unknown field", { color: "green" }, "json"],
    ["a negative stock", { stock: -1 }, "json.stock"],
    ["an empty name", { name: "  " }, "json.name"],
    ["a long description", { description: "x".repeat(5001) }, "json.description"],
  ])("answers %s with 400 naming the field", async (_, change, field) => {
    const { token } = await signedInAdmin();
    const response = await api("/api/products", {
      method: "POST",
      token,
      json: { ...valid(), ...change },
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.field).toBe(field);
  });
});

describe("writes need an admin", () => {
  it("answers anonymous writes with 401 and a customer's with 403", async () => {
    const admin = await signedInAdmin();
    const customer = await signedUpMember();
    const product = await createProduct(admin.token);
    const path = `/api/products/${product.id}`;
    const writes = [
      (token?: string) => api("/api/products", { method: "POST", json: valid(), token }),
      (token?: string) => api(path, { method: "PATCH", json: { name: "X" }, token }),
      (token?: string) =>
        api(`${path}/stock`, { method: "POST", json: { delta: 1, reason: "x" }, token }),
      (token?: string) => api(path, { method: "DELETE", token }),
      (token?: string) => api(`${path}/events`, { token }),
    ];
    for (const write of writes) {
      expect((await write()).status).toBe(401);
      const forbidden = await write(customer.token);
      expect(forbidden.status).toBe(403);
      await problemOf(forbidden);
    }
    const unchanged = (await (await api(path)).json()) as ProductBody;
    expect(unchanged).toMatchObject({ version: 1, status: "active" });
  });
});

describe("GET /api/products/:id", () => {
  it("is public, with ETag and 304", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const response = await api(`/api/products/${product.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(await response.json()).toEqual(product);
    const again = await api(`/api/products/${product.id}`, { headers: { "if-none-match": '"1"' } });
    expect(again.status).toBe(304);
  });

  it("hides archived products from the public and shows them to admins", async () => {
    const admin = await signedInAdmin();
    const customer = await signedUpMember();
    const product = await createProduct(admin.token);
    const archived = await api(`/api/products/${product.id}`, {
      method: "DELETE",
      token: admin.token,
    });
    expect(archived.status).toBe(204);
    expect(archived.headers.get("etag")).toBe('"2"');
    expect((await api(`/api/products/${product.id}`)).status).toBe(404);
    expect((await api(`/api/products/${product.id}`, { token: customer.token })).status).toBe(404);
    const forAdmin = await api(`/api/products/${product.id}`, { token: admin.token });
    expect(forAdmin.status).toBe(200);
    expect(await forAdmin.json()).toMatchObject({ status: "archived", version: 2 });
    expect((await api(`/api/products/${product.id}`, { token: "not-a-token" })).status).toBe(401);
  });

  it("answers 404 for an unknown id and 400 for one that is not a UUID", async () => {
    expect((await api(`/api/products/${UNKNOWN_ID}`)).status).toBe(404);
    expect((await api("/api/products/nope")).status).toBe(400);
  });
});

describe("PATCH /api/products/:id", () => {
  it("changes details and price, honouring If-Match", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const path = `/api/products/${product.id}`;
    const changed = await api(path, {
      method: "PATCH",
      token,
      headers: { "if-match": '"1"' },
      json: { description: "Now smokier", price: { amount: 999, currency: "EUR" } },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).toBe('"3"');
    expect(await changed.json()).toMatchObject({
      name: product.name,
      description: "Now smokier",
      price: { amount: 999, currency: "EUR" },
    });
    const stale = await api(path, {
      method: "PATCH",
      token,
      headers: { "if-match": '"1"' },
      json: { name: "Too late" },
    });
    expect(stale.status).toBe(412);
  });

  it("refuses changes to an archived product with 409", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    await api(`/api/products/${product.id}`, { method: "DELETE", token });
    const response = await api(`/api/products/${product.id}`, {
      method: "PATCH",
      token,
      json: { name: "Revived" },
    });
    expect(response.status).toBe(409);
    expect(await problemOf(response)).toMatchObject({ code: "PRODUCT.ARCHIVED" });
  });
});

describe("POST /api/products/:id/stock", () => {
  it("adjusts stock and answers with the product", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 5 });
    const response = await api(`/api/products/${product.id}/stock`, {
      method: "POST",
      token,
      json: { delta: 7, reason: "delivery" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    expect(await response.json()).toMatchObject({ stock: 12, version: 2 });
  });

  it("refuses to go below zero with 409 and the current stock", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 2 });
    const response = await api(`/api/products/${product.id}/stock`, {
      method: "POST",
      token,
      json: { delta: -3, reason: "sold" },
    });
    expect(response.status).toBe(409);
    expect(await problemOf(response)).toMatchObject({
      code: "PRODUCT.INSUFFICIENT_STOCK",
      currentStock: 2,
    });
  });

  it.each([
    { delta: 0, reason: "nothing" },
    { delta: 1.5, reason: "half" },
    { delta: 1, reason: "" },
    { delta: 1 },
    { delta: 1, reason: "x", extra: true },
  ])("answers %j with 400", async (body) => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const response = await api(`/api/products/${product.id}/stock`, {
      method: "POST",
      token,
      json: body,
    });
    expect(response.status).toBe(400);
  });
});

describe("GET /api/products/:id/events", () => {
  it("pages a long log with limit and cursor", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 0 });
    for (let index = 0; index < 25; index++) {
      await api(`/api/products/${product.id}/stock`, {
        method: "POST",
        token,
        json: { delta: 1, reason: "delivery" },
      });
    }
    const first = (await (await api(`/api/products/${product.id}/events`, { token })).json()) as {
      items: { version: number }[];
      nextCursor: string | null;
    };
    expect(first.items.map((event) => event.version)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    const rest = (await (
      await api(`/api/products/${product.id}/events?limit=100&cursor=${first.nextCursor}`, {
        token,
      })
    ).json()) as { items: { version: number }[]; nextCursor: string | null };
    expect(rest.items.map((event) => event.version)).toEqual([21, 22, 23, 24, 25, 26]);
    expect(rest.nextCursor).toBeNull();
    for (const cursor of ["nope", btoa('["abc"]'), btoa("[-1]")]) {
      const bad = await api(`/api/products/${product.id}/events?cursor=${cursor}`, { token });
      expect(bad.status).toBe(400);
    }
  });

  it("lists the product's events for an admin", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 1 });
    await api(`/api/products/${product.id}/stock`, {
      method: "POST",
      token,
      json: { delta: -1, reason: "sold" },
    });
    await api(`/api/products/${product.id}`, { method: "DELETE", token });
    const response = await api(`/api/products/${product.id}/events`, { token });
    const { items } = (await response.json()) as { items: { type: string; data: unknown }[] };
    expect(items.map((event) => event.type)).toEqual([
      "ProductCreated",
      "StockAdjusted",
      "ProductArchived",
    ]);
    expect(items[1]?.data).toEqual({ delta: -1, reason: "sold", stock: 0 });
  });
});
