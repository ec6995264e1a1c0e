import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../../src/db/client";
import {
  requestHash,
  type StoredResponse,
} from "../../../../src/modules/orders/application/idempotency";
import { d1IdempotencyStore } from "../../../../src/modules/orders/infrastructure/d1-idempotency.store";
import { api, signedInAdmin, signedUpMember } from "../../../support/api";
import { newKey, type OrderBody, outliveLease, placeOrder } from "../../../support/orders";
import { createProduct } from "../../../support/products";

const store = () => d1IdempotencyStore(openDatabase(env.DB));

const answer = (body: string): StoredResponse => ({
  status: 201,
  headers: { "content-type": "application/json" },
  body,
});

describe("an idempotency key taken over from a request that outlived its lease", () => {
  it("keeps the first response to finish; the later finisher gets that one back", async () => {
    const keys = store();
    const key = newKey();
    const first = await keys.claim("customer-1", key, "hash", "order-1");
    expect(first).toEqual({ kind: "run", orderId: "order-1", fresh: true });
    await outliveLease("customer-1", key);
    const retry = await keys.claim("customer-1", key, "hash", "order-2");
    expect(retry).toEqual({ kind: "run", orderId: "order-1", fresh: false });

    // The retry finishes first; the first request finishes later, with another answer.
    expect(await keys.finish("customer-1", key, answer("retry"))).toEqual({
      response: answer("retry"),
      first: true,
    });
    const before = await keys.claim("customer-1", key, "hash", "order-3");
    expect(await keys.finish("customer-1", key, answer("first, late"))).toEqual({
      response: answer("retry"),
      first: false,
    });
    const after = await keys.claim("customer-1", key, "hash", "order-4");

    expect(before).toEqual({ kind: "replay", response: answer("retry") });
    expect(after).toEqual(before);
  });

  it("replays over HTTP what the retry answered, not what the first request finished with later", async () => {
    const { token: admin } = await signedInAdmin();
    const { user, token } = await signedUpMember();
    const tea = await createProduct(admin, { stock: 5 });
    const items = [{ productId: tea.id, quantity: 1 }];
    const key = newKey();
    const keys = store();
    const first = await keys.claim(user.id, key, await requestHash({ items }), crypto.randomUUID());
    expect(first).toMatchObject({ kind: "run", fresh: true });
    await outliveLease(user.id, key);

    const retried = await placeOrder(token, items, key);
    expect(retried.status).toBe(201);
    const retriedBody = await retried.text();
    // The first request comes back and finishes: the order was paid meanwhile, so its answer
    // differs from the retry's.
    const { id } = JSON.parse(retriedBody) as OrderBody;
    const paid = await api(`/api/orders/${id}/pay`, { method: "POST", token: admin });
    await keys.finish(user.id, key, answer(await paid.text()));

    const replayed = await placeOrder(token, items, key);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(await replayed.text()).toBe(retriedBody);
  });
});

describe("releasing a key refused before anything was placed", () => {
  it("forgets an unfinished key of that order only", async () => {
    const keys = store();
    const open = newKey();
    const done = newKey();
    await keys.claim("customer-2", open, "hash", "order-a");
    await keys.claim("customer-2", done, "hash", "order-b");
    await keys.finish("customer-2", done, answer("done"));

    await keys.release("customer-2", open, "another-order");
    expect(await keys.claim("customer-2", open, "other hash", "order-c")).toEqual({
      kind: "mismatch",
    });
    await keys.release("customer-2", open, "order-a");
    await keys.release("customer-2", done, "order-b");

    expect(await keys.claim("customer-2", open, "other hash", "order-d")).toEqual({
      kind: "run",
      orderId: "order-d",
      fresh: true,
    });
    expect(await keys.claim("customer-2", done, "hash", "order-e")).toEqual({
      kind: "replay",
      response: answer("done"),
    });
  });
});
