import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { healReadModels } from "../../src/maintenance/heal-read-models.job";
import { api, PASSWORD, signedInAdmin, signedUpMember, uniqueEmail } from "../support/api";
import {
  breakClaims,
  d1EventsOf,
  executeIn,
  logOf,
  readLog,
  runEveryAlarm,
} from "../support/event-logs";
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
      .bind(email, product.sku)
      .run();

    await runCron();

    await expectD1LevelWith("product", product.id);
    await expectD1LevelWith("user", member.user.id);
    expect(await row("SELECT stock, version FROM products WHERE id = ?", product.id)).toEqual({
      stock: 7,
      version: 4,
    });
    expect(await claimHolder(email)).toBe(`user:${member.user.id}`);
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

  it("pages through every aggregate across runs, going on where the last run stopped", async () => {
    const { token } = await signedInAdmin();
    await Promise.all(Array.from({ length: 5 }, () => createProduct(token)));
    const total = (
      (await row(
        "SELECT count(*) AS n FROM (SELECT 1 FROM domain_events GROUP BY aggregate_type, aggregate_id)",
      )) as { n: number }
    ).n;
    // Start from the beginning, whatever an earlier test left.
    await env.DB.prepare("DELETE FROM maintenance_cursors").run();

    let reconciled = 0;
    let runs = 0;
    for (;;) {
      runs++;
      const totals = await healReadModels(env, { pageSize: 2, pages: 1, concurrency: 2 });
      reconciled += totals.reconciled;
      expect(totals.failed).toBe(0);
      if (totals.wrapped) break;
    }
    expect(reconciled).toBe(total);
    expect(runs).toBe(Math.floor(total / 2) + 1);
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
