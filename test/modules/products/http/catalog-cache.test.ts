import { describe, expect, it } from "vitest";
import { type ApiInit, apiWith, signedInAdmin } from "../../../support/api";
import { createProduct, type ProductBody, uniqueSku } from "../../../support/products";
import { SHAPE } from "../../../support/shape";

// The suites run with the cache off (vitest.config.ts); these requests run the app with it on.
const CACHED = { CATALOG_CACHE_SECONDS: "10" };
const cached = (path: string, init: ApiInit = {}) => apiWith(CACHED, path, init);

const cacheStatus = (response: Response) => response.headers.get("cache-status");

async function newProduct(fields: Partial<ProductBody> = {}) {
  const { token } = await signedInAdmin();
  return createProduct(token, { sku: uniqueSku("CACHE"), ...fields });
}

// Every test turns the cache on for its requests by rebuilding the monolith's app (apiWith); the
// services shape's cache setting is the products service's own binding, fixed for the run.
describe.skipIf(SHAPE === "services")("the catalogue cache (anonymous reads)", () => {
  it("stores a product on a miss and serves the same answer, ETag included, on a hit", async () => {
    const product = await newProduct();
    const miss = await cached(`/api/products/${product.id}`);
    expect(miss.status).toBe(200);
    expect(cacheStatus(miss)).toBe("edge-commerce-api; fwd=miss; stored");
    const hit = await cached(`/api/products/${product.id}`);
    expect(hit.status).toBe(200);
    expect(cacheStatus(hit)).toBe("edge-commerce-api; hit");
    expect(hit.headers.get("etag")).toBe(`"${product.version}"`);
    expect(hit.headers.get("content-type")).toMatch(/^application\/json/);
    expect(hit.headers.get("x-request-id")).not.toBe(miss.headers.get("x-request-id"));
    expect(await hit.json()).toEqual(await miss.json());
  });

  it("answers a hit whose ETag the client holds with 304", async () => {
    const product = await newProduct();
    await cached(`/api/products/${product.id}`);
    const response = await cached(`/api/products/${product.id}`, {
      headers: { "if-none-match": `"${product.version}"` },
    });
    expect(response.status).toBe(304);
    expect(cacheStatus(response)).toBe("edge-commerce-api; hit");
    expect(response.headers.get("etag")).toBe(`"${product.version}"`);
    const other = await cached(`/api/products/${product.id}`, {
      headers: { "if-none-match": '"999"' },
    });
    expect(other.status).toBe(200);
  });

  it("is bypassed by a request with a token or a D1 bookmark", async () => {
    const product = await newProduct();
    const { token } = await signedInAdmin();
    await cached(`/api/products/${product.id}`);
    const withToken = await cached(`/api/products/${product.id}`, { token });
    expect(cacheStatus(withToken)).toBe("edge-commerce-api; fwd=bypass");
    expect(withToken.headers.get("cache-control")).toBe("no-store");
    const list = await cached("/api/products?limit=1", { token });
    expect(cacheStatus(list)).toBe("edge-commerce-api; fwd=bypass");
  });

  it("forgets a product when it changes, in this location", async () => {
    const product = await newProduct({ name: "Before" });
    const { token } = await signedInAdmin();
    await cached(`/api/products/${product.id}`);
    expect(cacheStatus(await cached(`/api/products/${product.id}`))).toBe("edge-commerce-api; hit");
    const changed = await cached(`/api/products/${product.id}`, {
      method: "PATCH",
      token,
      json: { name: "After" },
    });
    expect(changed.status).toBe(200);
    const read = await cached(`/api/products/${product.id}`);
    expect(cacheStatus(read)).toBe("edge-commerce-api; fwd=miss; stored");
    expect(((await read.json()) as ProductBody).name).toBe("After");
  });

  it("never serves an archived product from the cache", async () => {
    const product = await newProduct();
    const { token } = await signedInAdmin();
    await cached(`/api/products/${product.id}`);
    expect((await cached(`/api/products/${product.id}`, { method: "DELETE", token })).status).toBe(
      204,
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const read = await cached(`/api/products/${product.id}`);
      expect(read.status).toBe(404);
      expect(cacheStatus(read)).toBe("edge-commerce-api; fwd=miss");
    }
  });

  it("keys lists by their query, in any order, and leaves every page behind after a change", async () => {
    const currency = "NZD";
    await newProduct({ price: { amount: 100, currency } });
    const { token } = await signedInAdmin();
    const first = await cached(`/api/products?currency=${currency}&sort=name&limit=5`);
    expect(cacheStatus(first)).toBe("edge-commerce-api; fwd=miss; stored");
    const reordered = await cached(`/api/products?limit=5&sort=name&currency=${currency}`);
    expect(cacheStatus(reordered)).toBe("edge-commerce-api; hit");
    expect(await reordered.json()).toEqual(await first.json());

    const created = await cached("/api/products", {
      method: "POST",
      token,
      json: {
        sku: uniqueSku("CACHE"),
        name: "Another",
        description: "Fresh.",
        price: { amount: 200, currency },
        stock: 1,
      },
    });
    expect(created.status).toBe(201);
    const after = await cached(`/api/products?currency=${currency}&sort=name&limit=5`);
    expect(cacheStatus(after)).toBe("edge-commerce-api; fwd=miss; stored");
    expect(((await after.json()) as { items: unknown[] }).items).toHaveLength(2);
  });

  it("answers a path that is no product id with the route's 400, whatever the cache holds", async () => {
    const { token } = await signedInAdmin();
    // A change writes the list generation, whose key sits under /api/products/ too.
    await cached("/api/products", {
      method: "POST",
      token,
      json: {
        sku: uniqueSku("CACHE"),
        name: "Generation",
        description: "Moves the list generation.",
        price: { amount: 100, currency: "EUR" },
        stock: 1,
      },
    });
    const response = await cached("/api/products/.cache-generation");
    expect(response.status).toBe(400);
    expect(cacheStatus(response)).toBeNull();
  });

  it("is off with CATALOG_CACHE_SECONDS=0: no Cache-Status, every read from D1", async () => {
    const product = await newProduct();
    for (let attempt = 0; attempt < 2; attempt++) {
      const read = await apiWith({ CATALOG_CACHE_SECONDS: "0" }, `/api/products/${product.id}`);
      expect(read.status).toBe(200);
      expect(cacheStatus(read)).toBeNull();
    }
  });
});
