import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { streamName } from "../../src/eventlog/aggregate-definition";
import {
  REGISTRY_SHARDS,
  registryShard,
  unregisterStream,
} from "../../src/eventlog/stream-registry.client";
import { listStreamsFromD1 } from "../../src/maintenance/list-streams-from-d1.job";
import { signedInAdmin } from "../support/api";
import { alarmOf, everyListedStream, executeIn, logOf, restartLog } from "../support/event-logs";
import { createProduct } from "../support/products";

/** A real failure of every registry shard: the table it lists streams in disappears. */
async function breakRegistry(): Promise<() => Promise<void>> {
  const everyShard = (sql: string) =>
    Promise.all(
      Array.from({ length: REGISTRY_SHARDS }, (_, index) =>
        runInDurableObject(registryShard(env.STREAM_REGISTRY, index), (_instance, state) => {
          state.storage.sql.exec(sql);
        }),
      ),
    );
  await everyShard("ALTER TABLE streams RENAME TO streams_unavailable");
  return async () => {
    await everyShard("ALTER TABLE streams_unavailable RENAME TO streams");
  };
}

/** A stream as one created before the registry is left: listed nowhere, and not marked listed. */
async function asIfFromBeforeTheRegistry(aggregateType: string, aggregateId: string) {
  await unregisterStream(env.STREAM_REGISTRY, streamName(aggregateType, aggregateId));
  await runInDurableObject(logOf(aggregateType, aggregateId), (_instance, state) => {
    state.storage.sql.exec("UPDATE stream SET registered = 0");
  });
  await restartLog(aggregateType, aggregateId);
}

describe("the stream registry", () => {
  it("lists a new stream with its first command, and then leaves no alarm behind", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);

    expect(await everyListedStream()).toContain(`product:${product.id}`);
    expect(await alarmOf("product", product.id)).toBeNull();
  });

  it("lists a stream from before the registry on its next command", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const name = `product:${product.id}`;
    await asIfFromBeforeTheRegistry("product", product.id);
    expect(await everyListedStream()).not.toContain(name);

    await executeIn("product", product.id, { type: "AdjustStock", delta: 1, reason: "found" });

    expect(await everyListedStream()).toContain(name);
  });

  it("lists a dormant stream from before the registry in a one-off pass over D1", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const name = `product:${product.id}`;
    await asIfFromBeforeTheRegistry("product", product.id);
    await env.DB.prepare("DELETE FROM maintenance_cursors").run();

    const pass = await listStreamsFromD1(env);

    expect(pass).toMatchObject({ failed: 0, wrapped: true });
    expect(pass.reconciled).toBeGreaterThan(0);
    expect(await everyListedStream()).toContain(name);
    // Once done, a run only reads that it is done.
    expect(await listStreamsFromD1(env)).toMatchObject({ reconciled: 0, wrapped: true });
  });

  it("keeps the alarm while the registry fails, and the alarm lists the stream", async () => {
    const { token } = await signedInAdmin();
    const repair = await breakRegistry();
    let product: Awaited<ReturnType<typeof createProduct>>;
    try {
      // Creating answers as ever: listing is not what the command waits on to succeed.
      product = await createProduct(token);
      expect(await alarmOf("product", product.id)).not.toBeNull();
    } finally {
      await repair();
    }
    expect(await everyListedStream()).not.toContain(`product:${product.id}`);

    expect(await runDurableObjectAlarm(logOf("product", product.id))).toBe(true);

    expect(await everyListedStream()).toContain(`product:${product.id}`);
    expect(await alarmOf("product", product.id)).toBeNull();
  });
});
