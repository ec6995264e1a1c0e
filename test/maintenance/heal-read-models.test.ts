import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { healReadModels } from "../../src/maintenance/heal-read-models.job";
import type { Email } from "../../src/modules/users/domain/email.value-object";
import { emailIndexOf } from "../../src/modules/users/infrastructure/email-index";
import { api, PASSWORD, signedInAdmin, signedUpMember, uniqueEmail } from "../support/api";
import {
  breakClaims,
  d1EventsOf,
  deleteAlarmOf,
  everyListedStream,
  executeIn,
  logOf,
  readLog,
  registrationDiedAfterClaiming,
  runEveryAlarm,
} from "../support/event-logs";
import { placeOrder, stockOf } from "../support/orders";
import { createProduct } from "../support/products";

const runCron = () =>
  worker.scheduled(createScheduledController(), env, createExecutionContext()) as Promise<void>;

const row = (sql: string, ...values: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...values)
    .first();

const claimHolder = async (value: string) =>
  (
    (await row("SELECT owner FROM unique_claims WHERE value = ?", value)) as {
      owner: string;
    } | null
  )?.owner;

/** Who holds an email: claims hold its blind index, never the address (ADR 0037). */
const emailHolder = async (email: string) => claimHolder(await emailIndexOf(env, email as Email));

async function expectD1LevelWith(aggregateType: string, id: string) {
  const { head, events } = await readLog(logOf(aggregateType, id));
  expect(await d1EventsOf(id)).toEqual(events.map(({ version, type }) => ({ version, type })));
  expect(head?.projectedVersion).toBe(head?.version);
}

describe("healing D1 from the event logs", () => {
  it("the cron run restores lost events, rolled-back views and lost claims", async () => {
    const { token } = await signedInAdmin();
    const member = await signedUpMember();
    const email = uniqueEmail("moved");
    await api(`/api/users/${member.user.id}`, {
      method: "PATCH",
      token: member.token,
      json: { email, name: "Moved" },
    });
    const product = await createProduct(token, { stock: 10 });
    for (let i = 0; i < 3; i++) {
      await executeIn("product", product.id, { type: "AdjustStock", delta: -1, reason: "sold" });
    }

    // What a point-in-time restore (or an operator's mistake) leaves: lost event rows, a view
    // from an earlier version, and lost claims.
    await env.DB.prepare("DELETE FROM domain_events WHERE aggregate_id = ? AND version > 1")
      .bind(product.id)
      .run();
    await env.DB.prepare("DELETE FROM domain_events WHERE aggregate_id = ? AND version = 1")
      .bind(member.user.id)
      .run();
    await env.DB.prepare("UPDATE products SET stock = 10, version = 1 WHERE id = ?")
      .bind(product.id)
      .run();
    await env.DB.prepare("DELETE FROM unique_claims WHERE value IN (?, ?)")
      .bind(await emailIndexOf(env, email as Email), product.sku)
      .run();

    await runCron();

    await expectD1LevelWith("product", product.id);
    await expectD1LevelWith("user", member.user.id);
    expect(await row("SELECT stock, version FROM products WHERE id = ?", product.id)).toEqual({
      stock: 7,
      version: 4,
    });
    expect(await emailHolder(email)).toBe(`user:${member.user.id}`);
    expect(await claimHolder(product.sku)).toBe(`product:${product.id}`);
    // The claims are enforced again.
    const taken = await api("/api/users", {
      method: "POST",
      json: { email, name: "Squatter", password: PASSWORD },
    });
    expect(taken.status).toBe(409);

    // A second run finds nothing to restore.
    expect((await healReadModels(env)).restoredEvents).toBe(0);
  });

  it("restores an aggregate that left no row at all in D1 (a restore to before its creation)", async () => {
    const { token: admin } = await signedInAdmin();
    const { token: customer } = await signedUpMember();
    const product = await createProduct(admin, { stock: 10 });
    await executeIn("product", product.id, { type: "AdjustStock", delta: -1, reason: "sold" });
    // Every row of the product: its events, its view (and, through its triggers, its search
    // entry) and its SKU claim.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM domain_events WHERE aggregate_id = ?").bind(product.id),
      env.DB.prepare("DELETE FROM products WHERE id = ?").bind(product.id),
      env.DB.prepare("DELETE FROM unique_claims WHERE owner = ?").bind(`product:${product.id}`),
    ]);
    expect((await api(`/api/products/${product.id}`)).status).toBe(404);

    await runCron();

    await expectD1LevelWith("product", product.id);
    const shown = await api(`/api/products/${product.id}`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ sku: product.sku, stock: 9, version: 2 });
    expect(await claimHolder(product.sku)).toBe(`product:${product.id}`);
    const sameSku = await api("/api/products", {
      method: "POST",
      token: admin,
      json: {
        sku: product.sku,
        name: "Squatter",
        description: product.description,
        price: product.price,
        stock: 1,
      },
    });
    expect(sameSku.status).toBe(409);
    const order = await placeOrder(customer, [{ productId: product.id, quantity: 2 }]);
    expect(order.status).toBe(201);
    expect(await stockOf(product.id)).toBe(7);
    await runEveryAlarm();
  });

  it("releases a claim left by a command that died before appending, once its alarm is lost", async () => {
    const id = crypto.randomUUID();
    const email = uniqueEmail("orphan");
    // A registration whose object died right after claiming the email...
    const log = await registrationDiedAfterClaiming(id, email);
    // ... whose alarm then found D1 down, and was never set again.
    const repair = await breakClaims();
    try {
      expect(await runDurableObjectAlarm(log)).toBe(true);
    } finally {
      await repair();
    }
    await deleteAlarmOf("user", id);
    expect(await emailHolder(email)).toBe(`user:${id}`);

    await runCron();

    expect(await emailHolder(email)).toBeUndefined();
    expect((await readLog(log)).head).toBeUndefined();
    expect(await everyListedStream()).not.toContain(`user:${id}`);
    const registered = await api("/api/users", {
      method: "POST",
      json: { email, name: "Rightful Owner", password: PASSWORD },
    });
    expect(registered.status).toBe(201);
  });

  it("pages through every listed stream across runs, going on where the last run stopped", async () => {
    const { token } = await signedInAdmin();
    await Promise.all(Array.from({ length: 5 }, () => createProduct(token)));
    const listed = await everyListedStream();
    const inD1 = await env.DB.prepare(
      "SELECT aggregate_type || ':' || aggregate_id AS name FROM domain_events GROUP BY aggregate_type, aggregate_id",
    ).all<{ name: string }>();
    // Every stream D1 knows of is listed (and here, nothing else is).
    expect(listed.sort()).toEqual(inD1.results.map((stream) => stream.name).sort());
    // Start from the beginning, whatever an earlier test left.
    await env.DB.prepare("DELETE FROM maintenance_cursors").run();

    let reconciled = 0;
    let runs = 0;
    for (;;) {
      runs++;
      const totals = await healReadModels(env, { pageSize: 2, streams: 2, concurrency: 2 });
      reconciled += totals.reconciled;
      expect(totals.failed).toBe(0);
      if (totals.wrapped) break;
    }
    expect(reconciled).toBe(listed.length);
    expect(runs).toBe(Math.floor(listed.length / 2) + 1);
    expect(await row("SELECT cursor FROM maintenance_cursors")).toBeNull();
  });

  it("leaves a log it could not reconcile to retry from its own alarm", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    await env.DB.prepare("DELETE FROM products WHERE id = ?").bind(product.id).run();
    await env.DB.prepare("DELETE FROM maintenance_cursors").run();
    const repair = await breakClaims();
    let totals: Awaited<ReturnType<typeof healReadModels>>;
    try {
      totals = await healReadModels(env);
    } finally {
      await repair();
    }
    expect(totals.reconciled).toBe(0);
    expect(totals.failed).toBeGreaterThan(0);

    // Not only when the sweep comes round again: the product's own alarm was set to retry.
    expect(await runDurableObjectAlarm(logOf("product", product.id))).toBe(true);
    expect(await row("SELECT id FROM products WHERE id = ?", product.id)).toEqual({
      id: product.id,
    });
    await runEveryAlarm();
  });

  it("reconcile() on an object with no stream changes nothing and creates nothing", async () => {
    const log = logOf("product", crypto.randomUUID());
    expect(await log.reconcile()).toMatchObject({ exists: false, upToDate: true });
    expect((await readLog(log)).head).toBeUndefined();
  });
});
