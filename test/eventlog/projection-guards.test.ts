import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/client";
import { project } from "../../src/eventlog/projection";
import { acquireClaims } from "../../src/eventlog/unique-claims";
import type { RecordedEvent } from "../../src/kernel/events";
import { newId } from "../../src/kernel/ids";
import { productAggregate } from "../../src/modules/products";
import {
  evolveProduct,
  type ProductState,
} from "../../src/modules/products/domain/product.aggregate";
import { evolveUser } from "../../src/modules/users/domain/user.aggregate";
import { api, PASSWORD, signedInAdmin, signedUpMember } from "../support/api";
import { breakProjections, d1EventsOf, executeIn, logOf, readLog } from "../support/event-logs";
import { createProduct } from "../support/products";

const db = openDatabase(env.DB);

const claimsOf = async (owner: string) =>
  (
    await env.DB.prepare(
      "SELECT scope, value, version FROM unique_claims WHERE owner = ? ORDER BY value",
    )
      .bind(owner)
      .all<{ scope: string; value: string; version: number }>()
  ).results;

/** A product's state after a `ProductCreated` with this SKU, and its events. */
function createdProduct(id: string, sku: string) {
  const created = {
    type: "ProductCreated",
    version: 1,
    occurredAt: "2026-01-01T00:00:00.000Z",
    data: {
      productId: id,
      sku,
      name: "Tea",
      description: "",
      price: { amount: 100, currency: "EUR" },
      stock: 5,
    },
  } as RecordedEvent<never>;
  return { state: evolveProduct(null, created), events: [created as RecordedEvent] };
}

const projection = (
  id: string,
  state: unknown,
  version: number,
  pending: RecordedEvent[] = [],
) => ({
  definition: productAggregate,
  aggregateId: id,
  state,
  version,
  pending,
  sealed: {},
  releaseUpTo: version,
});

describe("claims in projections", () => {
  it("a late projection of an older state never releases a claim a newer state took", async () => {
    const id = newId();
    const owner = `product:${id}`;
    // Version 1 holds SKU A; version 2 (say, a changed SKU) took B before its append.
    await acquireClaims(db, owner, [{ scope: "product-sku", value: "A" }], 1);
    await acquireClaims(db, owner, [{ scope: "product-sku", value: "B" }], 2);
    const { state } = createdProduct(id, "A");

    await project(db, projection(id, state, 1));

    expect(await claimsOf(owner)).toEqual([
      { scope: "product-sku", value: "A", version: 1 },
      { scope: "product-sku", value: "B", version: 2 },
    ]);
  });

  it("a value claimed again moves up to the new version, beyond an older state's release", async () => {
    const id = newId();
    const owner = `product:${id}`;
    await acquireClaims(db, owner, [{ scope: "product-sku", value: "C" }], 1);
    await acquireClaims(db, owner, [{ scope: "product-sku", value: "C" }], 7);
    const { state } = createdProduct(id, "OTHER");
    await project(db, projection(id, state, 5));
    expect(await claimsOf(owner)).toEqual([{ scope: "product-sku", value: "C", version: 7 }]);
  });

  it("a state that is missing at a version above 0 releases nothing", async () => {
    const id = newId();
    const owner = `product:${id}`;
    await acquireClaims(db, owner, [{ scope: "product-sku", value: "KEPT" }], 1);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await project(db, projection(id, null, 3));
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
    expect(await claimsOf(owner)).toHaveLength(1);
  });

  it("the state at version 0 (a first command that died) releases what it claimed", async () => {
    const id = newId();
    const owner = `product:${id}`;
    await acquireClaims(db, owner, [{ scope: "product-sku", value: "ORPHAN" }], 1);
    await project(db, { ...projection(id, null, 0), releaseUpTo: Number.MAX_SAFE_INTEGER });
    expect(await claimsOf(owner)).toEqual([]);
  });
});

describe("evolve", () => {
  const unknown = { type: "SomethingNew", data: {}, version: 2, occurredAt: "" } as never;

  it("throws on an event type it does not know, for users and products", () => {
    const { state } = createdProduct(newId(), "X");
    expect(() => evolveProduct(state, unknown)).toThrow(/unknown type "SomethingNew"/);
    const user = evolveUser(null, {
      type: "UserRegistered",
      version: 1,
      occurredAt: "",
      data: { userId: "u", email: "a@b.c", name: "A", role: "customer" },
    } as never);
    expect(() => evolveUser(user, unknown)).toThrow(/unknown type "SomethingNew"/);
  });

  it("throws on a change before the aggregate exists", () => {
    const renamed = { type: "UserRenamed", data: {}, version: 1, occurredAt: "" } as never;
    expect(() => evolveUser(null, renamed)).toThrow();
    expect(() => evolveProduct(null as ProductState, unknown)).toThrow();
  });
});

describe("the read model", () => {
  it("is never rolled back by a late projection of an older version", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 5 });
    await executeIn("product", product.id, { type: "AdjustStock", delta: 3, reason: "restock" });
    const { state: older } = createdProduct(product.id, product.sku);

    await project(db, projection(product.id, older, 1));

    const shown = await env.DB.prepare("SELECT stock, version FROM products WHERE id = ?")
      .bind(product.id)
      .first();
    expect(shown).toEqual({ stock: 8, version: 2 });
  });

  it("takes a backlog of more events than one statement can bind, in order and complete", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 100 });
    const repair = await breakProjections();
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 40; i++) {
        await executeIn("product", product.id, { type: "AdjustStock", delta: -1, reason: "sold" });
      }
    } finally {
      errors.mockRestore();
      await repair();
    }
    const log = logOf("product", product.id);
    expect((await readLog(log)).head).toMatchObject({ version: 41, projectedVersion: 1 });

    expect(await runDurableObjectAlarm(log)).toBe(true);

    const { events } = await readLog(log);
    expect(await d1EventsOf(product.id)).toEqual(
      events.map(({ version, type }) => ({ version, type })),
    );
    const shown = await env.DB.prepare("SELECT stock, version FROM products WHERE id = ?")
      .bind(product.id)
      .first();
    expect(shown).toEqual({ stock: 60, version: 41 });
  });
});

describe("unique values of retired aggregates", () => {
  it("a deactivated user's email stays taken", async () => {
    const { user, token } = await signedUpMember();
    expect((await api(`/api/users/${user.id}`, { method: "DELETE", token })).status).toBe(204);
    const again = await api("/api/users", {
      method: "POST",
      json: { email: user.email, name: "Someone else", password: PASSWORD },
    });
    expect(again.status).toBe(409);
  });

  it("an archived product's SKU stays taken", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const archived = await api(`/api/products/${product.id}`, { method: "DELETE", token });
    expect(archived.status).toBe(204);
    const again = await api("/api/products", {
      method: "POST",
      token,
      json: { sku: product.sku, name: "Copy", price: { amount: 1, currency: "EUR" } },
    });
    expect(again.status).toBe(409);
  });
});
