import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../../src/index";
import { IDEMPOTENCY_KEY_RETENTION_MS } from "../../../../src/modules/orders/application/idempotency";

const insertKey = (key: string, createdAt: number) =>
  env.DB.prepare(
    `INSERT INTO idempotency_keys (customer_id, key, request_hash, order_id, lease_until, created_at)
     VALUES ('c', ?, 'h', ?, 0, ?)`,
  )
    .bind(key, crypto.randomUUID(), createdAt)
    .run();

describe("idempotency keys", () => {
  it("are kept 24 hours, then purged by the cron run", async () => {
    const now = Date.now();
    await insertKey("old", now - IDEMPOTENCY_KEY_RETENTION_MS - 60_000);
    await insertKey("recent", now - IDEMPOTENCY_KEY_RETENTION_MS + 60_000);

    await worker.scheduled(createScheduledController(), env, createExecutionContext());

    const { results } = await env.DB.prepare("SELECT key FROM idempotency_keys ORDER BY key").all();
    expect(results).toEqual([{ key: "recent" }]);
  });
});
