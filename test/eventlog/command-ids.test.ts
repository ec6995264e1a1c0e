import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COMMAND_ID_RETENTION_MS, EventStore } from "../../src/eventlog/event-store";
import { isRetryable, withRetries } from "../../src/eventlog/transient-retry";
import { newId } from "../../src/kernel/ids";
import { signedInAdmin, signedUpMember } from "../support/api";
import {
  breakLog,
  breakProjections,
  deleteAlarmOf,
  executeIn,
  logOf,
  readLog,
  restartLog,
  skipBackoff,
} from "../support/event-logs";
import { createProduct } from "../support/products";

const sell = { type: "AdjustStock", delta: -1, reason: "sold" };

/** Errors shaped as the runtime throws them from a Durable Object call. */
const platformError = (message: string, flags: { retryable?: boolean; overloaded?: boolean }) =>
  Object.assign(new Error(message), flags);

describe("command ids", () => {
  it("apply a command once and answer a repeat with the first outcome", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 5 });
    const commandId = newId();

    const first = await executeIn("product", product.id, sell, { commandId });
    const again = await executeIn("product", product.id, sell, { commandId });
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => executeIn("product", product.id, sell, { commandId })),
    );

    expect(first).toMatchObject({ ok: true, value: { version: 2, view: { stock: 4 } } });
    expect(again).toEqual(first);
    for (const outcome of concurrent) expect(outcome).toEqual(first);
    const { events } = await readLog(logOf("product", product.id));
    expect(events.map((event) => event.type)).toEqual(["ProductCreated", "StockAdjusted"]);
  });

  it("give a different id its own decision", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 5 });
    await executeIn("product", product.id, sell, { commandId: newId() });
    const second = await executeIn("product", product.id, sell, { commandId: newId() });
    expect(second).toMatchObject({ ok: true, value: { version: 3, view: { stock: 3 } } });
  });

  it("are remembered for 24 hours, then forgotten", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    await runInDurableObject(logOf("product", product.id), (_instance, state) => {
      const store = new EventStore(state.storage);
      const t0 = Date.parse("2026-01-01T00:00:00Z");
      const appendAt = (now: number, id: string) => {
        const head = store.head();
        if (!head) throw new Error("no stream");
        const event = {
          type: "StockAdjusted",
          data: {},
          version: head.version + 1,
          occurredAt: "",
        };
        store.append(head, [event], { command: { id, outcome: { ok: true, id } }, now });
      };
      appendAt(t0, "old");
      appendAt(t0 + COMMAND_ID_RETENTION_MS - 1, "recent");
      expect(store.outcomeOf("old")).toEqual({ ok: true, id: "old" });
      appendAt(t0 + COMMAND_ID_RETENTION_MS + 1, "newest");
      expect(store.outcomeOf("old")).toBeUndefined();
      expect(store.outcomeOf("recent")).toEqual({ ok: true, id: "recent" });
    });
  });
});

const d1Row = (sql: string, id: string) => env.DB.prepare(sql).bind(id).first();

describe("a repeated command id on a freshly started object", () => {
  it("waits, like the first, until D1 holds the command's version", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 5 });
    const commandId = newId();
    const repair = await breakProjections();
    const first = await executeIn("product", product.id, sell, { commandId });
    await repair();
    // Only a command can bring the log forward now: the alarm a retry would wait for is gone.
    await deleteAlarmOf("product", product.id);
    await restartLog("product", product.id);

    const again = await executeIn("product", product.id, sell, { commandId });

    expect(again).toEqual(first);
    expect(first).toMatchObject({ ok: true, value: { version: 2, view: { stock: 4 } } });
    const shown = "SELECT stock, version FROM products WHERE id = ?";
    expect(await d1Row(shown, product.id)).toEqual({ stock: 4, version: 2 });
  });

  it("drives the saga the first left owing, so a retried order is confirmed", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 5 });
    const { user } = await signedUpMember();
    const orderId = newId();
    const commandId = newId();
    const place = {
      type: "PlaceOrder",
      customerId: user.id,
      currency: "EUR",
      items: [{ productId: product.id, quantity: 2 }],
      paymentTimeoutMs: 900_000,
    };
    // The first placement finds the product failing: the order is left pending, its
    // reservation owed (a retry after its backoff).
    const repair = await breakLog("product", product.id);
    const first = await executeIn("order", orderId, place, { commandId });
    expect(first).toMatchObject({ ok: true, value: { view: { status: "pending" } } });
    await repair();
    await skipBackoff("order", orderId);
    await deleteAlarmOf("order", orderId);
    await restartLog("order", orderId);

    const again = await executeIn("order", orderId, place, { commandId });

    // The repeat applies nothing again (its events are the first's), and answers where the
    // saga came to rest: confirmed, at the version the reservation's answer made.
    expect(again).toEqual({
      ok: true,
      value: {
        events: first.ok ? first.value.events : "the first placement failed",
        version: 3,
        view: expect.objectContaining({ status: "confirmed", version: 3 }),
      },
    });
    const order = "SELECT status FROM orders WHERE id = ?";
    expect(await d1Row(order, orderId)).toEqual({ status: "confirmed" });
    expect(await d1Row("SELECT stock FROM products WHERE id = ?", product.id)).toEqual({
      stock: 3,
    });
    await deleteAlarmOf("order", orderId);
  });
});

describe("retries of a call to a Durable Object", () => {
  it("retry what the runtime marks retryable, with the same call", async () => {
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3)
          throw platformError("Durable Object reset because its code was updated.", {
            retryable: true,
          });
        return "done";
      },
      { attempts: 3, baseDelayMs: 1 },
    );
    expect(result).toBe("done");
    expect(calls).toBe(3);
  });

  it("never retry an overloaded object, an error of our own, or past the last attempt", async () => {
    const overloaded = platformError("Durable Object is overloaded. Too many requests queued.", {
      retryable: true,
      overloaded: true,
    });
    expect(isRetryable(overloaded)).toBe(false);
    expect(isRetryable(new Error("a bug"))).toBe(false);
    expect(isRetryable(platformError("Network connection lost.", { retryable: true }))).toBe(true);

    let calls = 0;
    const failing = (error: Error) => () =>
      withRetries(
        async () => {
          calls++;
          throw error;
        },
        { attempts: 3, baseDelayMs: 1 },
      );
    await expect(failing(overloaded)()).rejects.toBe(overloaded);
    expect(calls).toBe(1);
    calls = 0;
    const lost = platformError("Network connection lost.", { retryable: true });
    await expect(failing(lost)()).rejects.toBe(lost);
    expect(calls).toBe(3);
  });
});
