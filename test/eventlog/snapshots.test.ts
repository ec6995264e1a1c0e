import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CommandOutcome } from "../../src/eventlog/event-log.contract";
import { EventStore } from "../../src/eventlog/event-store";
import { EventLog } from "../../src/index";
import { signedInAdmin } from "../support/api";
import { executeIn, logOf } from "../support/event-logs";
import { createProduct } from "../support/products";

const sell = { type: "AdjustStock", delta: -1, reason: "sold" };

/** A product with `sales` stock adjustments after its creation. */
async function productWithSales(sales: number) {
  const { token } = await signedInAdmin();
  const product = await createProduct(token, { stock: 1000 });
  await Promise.all(Array.from({ length: sales }, () => executeIn("product", product.id, sell)));
  return product;
}

/**
 * What a cold object makes of the storage: a new instance over the same storage (as after an
 * eviction) answers a command that changes nothing, showing the state it loaded.
 */
const coldLoad = (id: string, edit: (sql: SqlStorage) => void = () => undefined) =>
  runInDurableObject(logOf("product", id), async (_instance, state) => {
    edit(state.storage.sql);
    const fresh = new EventLog(state, env);
    return (await fresh.execute({
      aggregateType: "product",
      aggregateId: id,
      command: { type: "ChangeProduct" },
    })) as CommandOutcome;
  });

describe("snapshots", () => {
  it("are written every 100 events, in the append's transaction", async () => {
    const product = await productWithSales(250);
    const snapshot = await runInDurableObject(logOf("product", product.id), (_i, state) =>
      new EventStore(state.storage).snapshot(),
    );
    expect(snapshot).toMatchObject({ version: 200, tag: "product/2", state: { stock: 801 } });
  });

  it("make a cold load read the snapshot and only the events after it", async () => {
    const product = await productWithSales(120);
    // Without the events the snapshot covers, only the snapshot can tell the state.
    const outcome = await coldLoad(product.id, (sql) => {
      sql.exec("DELETE FROM events WHERE version <= 100");
    });
    expect(outcome).toMatchObject({ ok: true, value: { version: 121, view: { stock: 880 } } });
  });

  it("are ignored when their tag differs from the definition's: the log is replayed in full", async () => {
    const product = await productWithSales(110);
    const tampered = (tag: string) => (sql: SqlStorage) => {
      sql.exec("UPDATE snapshot SET tag = ?, state = json_set(state, '$.name', 'Tampered')", tag);
    };
    // With the definition's tag the (tampered) snapshot is believed: it is what was read.
    expect(await coldLoad(product.id, tampered("product/2"))).toMatchObject({
      value: { view: { name: "Tampered", stock: 890 } },
    });
    // With another tag it is not: the full replay gives the true stock.
    expect(await coldLoad(product.id, tampered("product/0"))).toMatchObject({
      value: { version: 111, view: { name: "Earl Grey", stock: 890 } },
    });
  });

  it("are ignored when newer than the stream's head: the log is replayed in full", async () => {
    const product = await productWithSales(110);
    // A snapshot no append of this log could have written (the head is at 111): believing it
    // would show its state and skip every event up to its version.
    const fromTheFuture = (sql: SqlStorage) => {
      sql.exec(
        "UPDATE snapshot SET version = 150, state = json_set(state, '$.name', 'Tampered', '$.stock', 1)",
      );
    };
    expect(await coldLoad(product.id, fromTheFuture)).toMatchObject({
      value: { version: 111, view: { name: "Earl Grey", stock: 890 } },
    });
  });
});
